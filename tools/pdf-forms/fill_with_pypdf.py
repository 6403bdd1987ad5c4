#!/usr/bin/env python3
"""Fills forms/bilan-clas.pdf with pypdf -- another tool than ours, as a porteur's PDF
software would -- for a few fictional porteurs, into samples/pdf/*.pdf, each with its golden
JSON (what `clas extract --json` must print as `fields`, docs/cli.md). Also writes the PDFs
that must be refused: password-protected, scanned (an image only), not a form.

    pip install pypdf
    python3 tools/pdf-forms/fill_with_pypdf.py [repo root] [path to dictionaries/bilan-fields.csv]

Reproducible: pypdf's random bytes (file identifiers, encryption keys) come from a seeded
generator, so a run gives the same files as the last one.
"""
import csv
import io
import json
import random
import secrets
import sys
import zlib
from pathlib import Path

_rng = random.Random(20251117)
secrets.token_bytes = lambda n=16: _rng.randbytes(n)  # noqa: E731 -- reproducible ids and keys

from pypdf import PdfReader, PdfWriter  # noqa: E402
from pypdf.generic import NameObject  # noqa: E402

ROOT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]
FIELDS_CSV = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "dictionaries/bilan-fields.csv"
FORM = ROOT / "forms/bilan-clas.pdf"
OUT = ROOT / "samples/pdf"

OUI, NON, BOTH = "oui", "non", "both"

# What each porteur wrote: field id -> what they typed (text), a tick (True) for a single box,
# OUI / NON / BOTH for a yes/no question. Fields left out are left blank.
PORTEURS = {
    "bilan-les-petits-savants": {
        "porteur.nom": "Association Les Petits Savants",
        "action.numero": "3",
        "referent.nom": "Dupont Marie",
        "referent.telephone": "05 53 12 34 56",
        "referent.email": "contact@petits-savants.fr",
        "action.lieu": "Centre social du Pin\n12 rue des Lilas, 47000 Agen",
        "local.associatif": True,
        "etablissements": "École Jean Jaurès, collège Paul Bert (Agen)",
        "zonage.rep": True,
        "zonage.politique_ville": True,
        "calendrier.debut": "17/11/2025",
        "calendrier.fin": "26/06/2026",
        "calendrier.semaines": "30",
        "calendrier.ecart": OUI,
        "calendrier.ecart_raisons": "Démarrage retardé par les travaux du local.",
        "intervenants.salaries": "2",
        "heures.salaries": "1 250",
        "intervenants.volontaires": "1",
        "heures.volontaires": "96",
        "intervenants.benevoles": "5",
        "heures.benevoles": "312,5",
        "intervenants.total": "8",
        "heures.total": "1 658,5",
        "moyens.ecart_raisons": "Une bénévole de plus que prévu.",
        "enfants.elementaire": "18",
        "enfants.college": "6",
        "enfants.lycee": "0",
        "enfants.total": "24 enfants",
        "collectifs.nombre": "3",
        "familles.nombre": "20",
        "enfants.par_accompagnateur": "4,5",
        "frequentation.ecart": NON,
        "situation.difficulte_scolaire": OUI,
        "situation.logement": OUI,
        "situation.acces_socioculturel": NON,
        "situation.disponibilite_parents": OUI,
        "situation.langue_parents": OUI,
        "situation.rupture_ecole": NON,
        "origine.famille": OUI,
        "origine.enfant": NON,
        "origine.enseignant": OUI,
        "origine.association": NON,
        "origine.reussite_educative": OUI,
        "origine.autres": NON,
        "activite.methodologie": OUI,
        "activite.travail_personnel": OUI,
        "activite.numerique": NON,
        "activite.culture_sport": OUI,
        "activite.sciences": NON,
        "activite.jeux": OUI,
        "activite.sorties": OUI,
        "activite.citoyennete": NON,
        "activite.ecole_orientation": OUI,
        "activites.ecart": NON,
        "suivi.progression_assiduite": OUI,
        "suivi.mesure_progression": OUI,
        "suivi.mesure_assiduite": OUI,
        "ouverture_culturelle.realise": OUI,
        "ouverture_culturelle.ecart": NON,
        "parents.reunion_information": OUI,
        "parents.contractualisation": OUI,
        "parents.rencontres_individuelles": OUI,
        "parents.outils_liaison": OUI,
        "parents.rencontres_enseignants": NON,
        "parents.convivialite": OUI,
        "parents.participation_seances": NON,
        "parents.rencontre_thematique": OUI,
        "parents.numerique": NON,
        "parents.associations_parents": NON,
        "parents.codes_ecole": OUI,
        "parents.partenaires": OUI,
        "parents.evaluation": OUI,
        "projet_parents.realise": OUI,
        "projet_parents.detail": "Ateliers parents-enfants un samedi par mois.\nCafé des parents le jeudi.",
        "projet_parents.ecart": NON,
        "ecole.partenariat_formalise": OUI,
        "ecole.partenariat_informel": OUI,
        "ecole.orientation": NON,
        "ecole.rencontres": OUI,
        "ecole.ecart": NON,
        "territoire.articulations": "Réunions trimestrielles avec le PRE et la médiathèque.",
        "territoire.acteurs": "PRE d'Agen, médiathèque, centre social, collège Paul Bert.",
        "bilan.global": "Bonne dynamique de groupe.\nLes familles sont plus présentes qu'en 2024.",
        "bilan.difficultes": "Recrutement des bénévoles difficile.\nBesoin d'une formation sur le numérique.",
        "reseau.animation": "Rencontres utiles, horaires adaptés.",
        "reseau.formations": "Formation sur la parentalité très appréciée.",
        "reseau.effets_ouverture": "Les enfants ont découvert le théâtre ; deux familles sont revenues au spectacle.",
    },
    "bilan-centre-social-rive-gauche": {
        "porteur.nom": "Centre social Rive Gauche",
        "action.numero": "12",
        "referent.nom": "Martin Karim",
        "referent.telephone": "06 71 22 33 44",
        "referent.email": "k.martin@rivegauche47.org",
        "action.lieu": "Maison de quartier Montanou, 47300 Villeneuve-sur-Lot",
        "local.municipal": True,
        "local.scolaire": True,
        "etablissements": "Collège Crochepierre\nÉcole élémentaire Jules Ferry",
        "zonage.pre": True,
        "calendrier.debut": "17 novembre 2025",
        "calendrier.fin": "30 mai 2026",
        "calendrier.semaines": "24",
        "calendrier.ecart": NON,
        "intervenants.salaries": "3",
        "heures.salaries": "540",
        "intervenants.benevoles": "2",
        "heures.benevoles": "60",
        "intervenants.total": "5",
        "heures.total": "600",
        "enfants.elementaire": "10",
        "enfants.college": "14",
        "enfants.lycee": "2",
        "enfants.autres": "1",
        "enfants.total": "27",
        "collectifs.nombre": "4",
        "familles.nombre": "22",
        "enfants.par_accompagnateur": "5,4",
        "frequentation.ecart": OUI,
        "frequentation.ecart_raisons": "Plus de collégiens que prévu.\nListe d'attente en janvier.",
        "situation.difficulte_scolaire": OUI,
        "situation.logement": NON,
        "situation.acces_socioculturel": OUI,
        "situation.disponibilite_parents": BOTH,
        "situation.rupture_ecole": OUI,
        "origine.famille": OUI,
        "origine.enfant": OUI,
        "origine.enseignant": OUI,
        "origine.association": NON,
        "origine.reussite_educative": OUI,
        "origine.autres": NON,
        "activite.methodologie": OUI,
        "activite.travail_personnel": OUI,
        "activite.numerique": OUI,
        "activite.culture_sport": NON,
        "activite.sciences": OUI,
        "activite.jeux": NON,
        "activite.sorties": NON,
        "activite.citoyennete": OUI,
        "activite.ecole_orientation": OUI,
        "activites.ecart": OUI,
        "activites.ecart_raisons": "Sorties annulées faute de transport.",
        "suivi.progression_assiduite": OUI,
        "suivi.mesure_progression": NON,
        "suivi.mesure_assiduite": OUI,
        "ouverture_culturelle.realise": NON,
        "parents.reunion_information": OUI,
        "parents.contractualisation": NON,
        "parents.rencontres_individuelles": OUI,
        "parents.outils_liaison": OUI,
        "parents.convivialite": OUI,
        "parents.evaluation": NON,
        "parents.ecart_raisons": "Moins de rencontres individuelles que prévu.",
        "projet_parents.realise": NON,
        "ecole.partenariat_formalise": NON,
        "ecole.partenariat_informel": OUI,
        "ecole.orientation": OUI,
        "ecole.rencontres": OUI,
        "ecole.ecart": OUI,
        "ecole.ecart_raisons": "Changement de principal au collège.",
        "territoire.articulations": "Comité de suivi avec la mairie.",
        "territoire.ecarts": "Aucun.",
        "bilan.global": "Année positive malgré les absences.",
        "reseau.formations": "Trop loin d'Agen pour nos bénévoles.",
    },
    "bilan-mjc-nerac": {
        "porteur.nom": "MJC de Nérac",
        "action.numero": "7 bis",
        "referent.nom": "Lefèvre Sophie",
        "referent.email": "clas@mjc-nerac.fr",
        "local.associatif": True,
        "calendrier.debut": "6 octobre 2025",
        "calendrier.semaines": "28",
        "intervenants.benevoles": "4",
        "heures.benevoles": "1 024",
        "enfants.elementaire": "12",
        "enfants.total": "12",
        "situation.difficulte_scolaire": OUI,
        "origine.famille": OUI,
        "activite.methodologie": OUI,
        "activite.jeux": OUI,
        "suivi.mesure_assiduite": NON,
        "bilan.difficultes": "Local partagé avec l'accueil de loisirs.",
    },
}

# The plain twin of the sample encrypted with an empty user password.
ENCRYPTED_TWIN = "bilan-les-petits-savants"


def pdf_name(field_id):
    return field_id.replace(".", "_")


def load_dictionary():
    with open(FIELDS_CSV, newline="", encoding="utf-8") as f:
        return [(row["id"], row["type"]) for row in csv.DictReader(f)]


MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]


def iso_date(text):
    t = text.strip()
    if "/" in t:
        d, m, y = t.split("/")
        return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
    d, month, y = t.split()
    return f"{int(y):04d}-{MONTHS.index(month) + 1:02d}-{int(d):02d}"


def number(text):
    t = text.strip().split(" enfants")[0].replace(" ", "").replace("\u00a0", "").replace(",", ".")
    return float(t)


def golden_value(kind, answer):
    """What clas must read for the answer (docs/cli.md)."""
    if kind == "check":
        return answer is True
    if kind == "yesno":
        return {OUI: True, NON: False}.get(answer)
    if answer is None or not str(answer).strip():
        return None
    if kind == "integer":
        return int(number(answer))
    if kind == "decimal":
        return number(answer)
    if kind == "date":
        return iso_date(answer)
    return "\n".join(line.strip() for line in answer.strip().split("\n"))


def form_values(answers):
    """The values pypdf writes into the form's fields."""
    values = {}
    for fid, answer in answers.items():
        name = pdf_name(fid)
        if answer is True:
            values[name] = "/Oui"
        elif answer in (OUI, NON, BOTH):
            if answer in (OUI, BOTH):
                values[f"{name}_oui"] = "/Oui"
            if answer in (NON, BOTH):
                values[f"{name}_non"] = "/Oui"
        else:
            values[name] = answer
    return values


def filled(answers):
    writer = PdfWriter(clone_from=PdfReader(FORM))
    values = form_values(answers)
    known = set()
    for page in writer.pages:
        for annot in page.get("/Annots", []):
            known.add(annot.get_object().get("/T"))
    missing = set(values) - known
    assert not missing, f"champs absents du formulaire : {sorted(missing)}"
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=True)
    writer.set_need_appearances_writer(True)
    # Every box whose value was set shows it; pypdf sets /V, and /AS follows the export name.
    for page in writer.pages:
        for annot in page.get("/Annots", []):
            a = annot.get_object()
            if a.get("/FT") == "/Btn":
                a[NameObject("/AS")] = NameObject(a.get("/V", "/Off"))
    return writer


def write(writer, path):
    buf = io.BytesIO()
    writer.write(buf)
    path.write_bytes(buf.getvalue())
    print(f"{path.relative_to(ROOT)} ({len(buf.getvalue())} octets)")


def golden(name, answers, dictionary):
    fields = {fid: golden_value(kind, answers.get(fid)) for fid, kind in dictionary}
    doc = {"file": f"samples/pdf/{name}.pdf", "form": "bilan", "fields": fields}
    (OUT / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def raw_pdf(page_content, resources, extra_objects=()):
    """A one-page PDF written by hand (for the samples a form tool would not make)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources "
        + resources + b" >>",
        b"<< /Length %d >>\nstream\n" % len(page_content) + page_content + b"\nendstream",
        *extra_objects,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def scan_pdf():
    """A page that is only a picture, as a scanner makes: grey noise and dark « lines »."""
    w, h = 200, 280
    rows = []
    for y in range(h):
        row = bytearray()
        for x in range(w):
            ink = (y % 14 in (6, 7)) and 20 < x < 180 and (x // 9 + y // 14) % 5 != 0
            row.append(40 if ink else 235 + _rng.randrange(15))
        rows.append(bytes(row))
    data = zlib.compress(b"".join(rows), 9)
    image = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
             b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % (w, h, len(data))
             + data + b"\nendstream")
    content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
    return raw_pdf(content, b"<< /XObject << /Im0 5 0 R >> >>", [image])


def not_a_form_pdf():
    content = (b"BT /F1 14 Tf 56 780 Td (Facture n\xb0 2025-118) Tj ET\n"
               b"BT /F1 10 Tf 56 750 Td (Fournitures scolaires : 3 cartons de cahiers, 12 classeurs.) Tj ET\n"
               b"BT /F1 10 Tf 56 735 Td (Total TTC : 418,20 euros) Tj ET")
    font = b"<< /Font << /F1 5 0 R >> >>"
    return raw_pdf(content, font, [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                                   b"/Encoding /WinAnsiEncoding >>"])


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    dictionary = load_dictionary()
    assert len(dictionary) == 98, f"{FIELDS_CSV} : {len(dictionary)} champs"
    for name, answers in PORTEURS.items():
        unknown = set(answers) - {fid for fid, _ in dictionary}
        assert not unknown, f"{name} : champs inconnus {sorted(unknown)}"
        write(filled(answers), OUT / f"{name}.pdf")
        golden(name, answers, dictionary)

    # Protected with an empty user password (opens without asking): reads like its twin.
    twin = PORTEURS[ENCRYPTED_TWIN]
    w = filled(twin)
    w.encrypt(user_password="", owner_password="x")
    write(w, OUT / f"{ENCRYPTED_TWIN}-chiffre.pdf")
    golden(f"{ENCRYPTED_TWIN}-chiffre", twin, dictionary)

    # Refused: a real password, a scan, something else than a form.
    w = filled(PORTEURS["bilan-mjc-nerac"])
    w.encrypt(user_password="secret", owner_password="x")
    write(w, OUT / "refus-mot-de-passe.pdf")
    (OUT / "refus-scan.pdf").write_bytes(scan_pdf())
    print("samples/pdf/refus-scan.pdf")
    (OUT / "refus-pas-un-formulaire.pdf").write_bytes(not_a_form_pdf())
    print("samples/pdf/refus-pas-un-formulaire.pdf")


if __name__ == "__main__":
    main()
