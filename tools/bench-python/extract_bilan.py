#!/usr/bin/env python3
"""Extraction « simple » des champs d'un bilan CLAS en Python, pour comparer les débits.

Ce que ferait quelqu'un qui écrit le script directement avec python-docx et openpyxl :
- chaque paragraphe du document (tableaux compris) dans l'ordre, son texte (w:t) et ses
  cases à cocher : champs de formulaire hérités (w:ffData/w:checkBox, w:checked ou
  w:default), contrôles de contenu (w14:checkbox), glyphes ☒/☐ tapés ;
- pour chaque champ du dictionnaire (dictionaries/bilan-fields.csv) : le libellé cherché
  (accents, casse, ponctuation ignorés) à partir du libellé précédent, puis la réponse : le
  texte qui suit le libellé dans son paragraphe, ou le paragraphe suivant ; un nombre, une
  date jj/mm/aaaa ; oui/non : les deux cases qui suivent le libellé ; case : celle du
  paragraphe ;
- un classeur .xlsx : toutes les cellules de toutes les feuilles (openpyxl).

Usage : extract_bilan.py [--golden] [--dictionary CSV] FICHIER_OU_DOSSIER...
Écrit une ligne JSON par fichier sur la sortie standard, puis sur la sortie d'erreur le
nombre de fichiers, le temps et le débit ; avec --golden, la part des champs égaux au JSON
attendu posé à côté de chaque fichier.
"""

import csv
import json
import re
import sys
import time
import unicodedata
from pathlib import Path

import docx  # python-docx
import openpyxl
from docx.oxml.ns import qn

W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
UNCHECKED = set("☐□❏❑")
CHECKED = set("☒☑■⊠✓✔")
T, FFDATA, CHECKBOX, SDT, SDTPR = qn("w:t"), qn("w:ffData"), qn("w:checkBox"), qn("w:sdt"), qn("w:sdtPr")
CHECKED_EL, DEFAULT_EL, VAL = qn("w:checked"), qn("w:default"), qn("w:val")
MONTHS = {m: i + 1 for i, m in enumerate(
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre".split())}


def fold(s):
    """Minuscules, sans accents ni ponctuation : ce qui est comparé."""
    s = unicodedata.normalize("NFD", s.lower())
    return "".join(c for c in s if c.isalnum())


def on(el):
    v = el.get(VAL)
    return v not in ("0", "false", "off")


def in_checkbox_control(el):
    for a in el.iterancestors(SDT):
        pr = a.find(SDTPR)
        if pr is not None and pr.find(W14 + "checkbox") is not None:
            return True
    return False


def paragraphs(path):
    """[(texte, [(position dans le texte, cochée)])] de chaque paragraphe, dans l'ordre."""
    d = docx.Document(path)
    out = []
    for p in d.element.body.iter(qn("w:p")):
        text, boxes = "", []
        for el in p.iter():
            if el.tag == T:
                if in_checkbox_control(el):
                    continue
                for c in el.text or "":
                    if c in CHECKED or c in UNCHECKED:
                        boxes.append((len(text), c in CHECKED))
                    else:
                        text += c
            elif el.tag == FFDATA:
                cb = el.find(CHECKBOX)
                if cb is not None:
                    checked, default = cb.find(CHECKED_EL), cb.find(DEFAULT_EL)
                    state = on(checked) if checked is not None else (
                        default is not None and on(default))
                    boxes.append((len(text), state))
            elif el.tag == W14 + "checkbox":
                c = el.find(W14 + "checked")
                boxes.append((len(text), c is not None and c.get(W14 + "val") in ("1", "true")))
        out.append((text, boxes))
    return out


def clean(s):
    s = re.sub(r"[…_]+|\.{2,}", " ", s)
    s = re.sub(r"\s+", " ", s).strip(" :;,.-?")
    return s or None


def number(s):
    m = re.search(r"\d[\d\s\u202f\u00a0]*(?:,\d+)?", s or "")
    if not m:
        return None
    v = re.sub(r"\s", "", m.group()).replace(",", ".")
    return float(v) if "." in v else int(v)


def date(s):
    if not s:
        return None
    m = re.search(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})", s)
    if m:
        d, mo, y = (int(x) for x in m.groups())
    else:
        m = re.search(r"(\d{1,2})(?:er)? (\w+) (\d{4})", fold_spaces(s))
        if not m or m.group(2) not in MONTHS:
            return None
        d, mo, y = int(m.group(1)), MONTHS[m.group(2)], int(m.group(3))
    if y < 100:
        y += 2000
    return f"{y:04d}-{mo:02d}-{d:02d}"


def fold_spaces(s):
    s = unicodedata.normalize("NFD", s.lower())
    return "".join(c for c in s if not unicodedata.combining(c))


def find_label(paras, key, start):
    """(paragraphe, position dans son texte) où le libellé finit, cherché à partir de start."""
    for order in (range(start, len(paras)), range(0, start)):
        for i in order:
            text = paras[i][0]
            f = fold(text)
            at = f.find(key)
            if at >= 0:
                # Position dans le texte d'origine de la fin du libellé.
                seen, end = 0, len(text)
                for j, c in enumerate(text):
                    if fold(c):
                        seen += len(fold(c))
                        if seen >= at + len(key):
                            end = j + 1
                            break
                return i, end
    return None


def extract(path, fields):
    paras = paragraphs(path)
    out, cursor = {}, 0
    for fid, kind, label in fields:
        found = find_label(paras, fold(label), cursor)
        if found is None:
            out[fid] = None
            continue
        i, end = found
        cursor = i
        text, boxes = paras[i]
        if kind == "check":
            out[fid] = boxes[0][1] if boxes else None
            continue
        if kind == "yesno":
            after = [b for at, b in boxes if at >= end]
            j = i + 1
            while len(after) < 2 and j < len(paras) and j <= i + 3:
                after += [b for _, b in paras[j][1]]
                j += 1
            oui, non = (after + [False, False])[:2]
            out[fid] = None if oui == non else oui
            continue
        answer = clean(text[end:])
        if answer is None and i + 1 < len(paras) and not paras[i + 1][1]:
            answer = clean(paras[i + 1][0])
        if kind in ("integer", "decimal"):
            out[fid] = number(answer)
        elif kind == "date":
            out[fid] = date(answer)
        else:
            out[fid] = answer
    return out


def workbook(path):
    wb = openpyxl.load_workbook(path, data_only=True)
    cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells += sum(v is not None for v in row)
    return {"feuilles": len(wb.worksheets), "cellules": cells}


def main(argv):
    golden = "--golden" in argv
    argv = [a for a in argv if a != "--golden"]
    dictionary = Path(__file__).resolve().parents[2] / "dictionaries" / "bilan-fields.csv"
    if "--dictionary" in argv:
        i = argv.index("--dictionary")
        dictionary = Path(argv[i + 1])
        del argv[i:i + 2]
    with open(dictionary, newline="", encoding="utf-8") as f:
        fields = [(r["id"], r["type"], r["label"]) for r in csv.DictReader(f)]
    files = []
    for a in argv:
        p = Path(a)
        files += sorted(x for x in p.iterdir() if x.suffix in (".docx", ".xlsx")) if p.is_dir() else [p]
    started = time.perf_counter()
    same = total = 0
    for f in files:
        try:
            got = extract(f, fields) if f.suffix == ".docx" else workbook(f)
        except Exception as e:  # un fichier illisible ne doit pas arrêter la mesure
            print(f"{f}: {e}", file=sys.stderr)
            continue
        print(json.dumps({"file": f.name, "fields": got}, ensure_ascii=False))
        g = f.with_suffix(".json")
        if golden and f.suffix == ".docx" and g.exists():
            want = json.loads(g.read_text(encoding="utf-8")).get("fields", {})
            for k, v in want.items():
                total += 1
                same += got.get(k) == v or (isinstance(v, (int, float)) and got.get(k) == v)
    elapsed = time.perf_counter() - started
    rate = len(files) / elapsed if elapsed else 0
    print(f"python : {len(files)} fichier(s) en {elapsed:.2f} s, {rate:.1f} fichiers/s", file=sys.stderr)
    if golden and total:
        print(f"python : {same}/{total} champs égaux au JSON attendu ({100 * same / total:.1f} %)",
              file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
