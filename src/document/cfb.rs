//! A minimal reader of OLE compound files (the container of .xls and .doc files, and of
//! encrypted Office Open XML files): enough to list the streams, which tells what the file
//! is, and to take the workbook stream out, so that its sheets are measured before calamine
//! lays them out (it allocates the whole rectangle up to the last used cell).
//!
//! Offsets and chains of sectors read from the file are bounded by its length: a forged file
//! gets `None`.

/// The first bytes of every compound file.
pub(crate) const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub(crate) struct Cfb<'a> {
    bytes: &'a [u8],
    sector_shift: u32,
    mini_shift: u32,
    mini_cutoff: u64,
    fat: Vec<u32>,
    minifat: Vec<u32>,
    /// (name, start sector, size)
    entries: Vec<(String, u32, u64)>,
}

pub(crate) const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

impl<'a> Cfb<'a> {
    pub fn open(bytes: &'a [u8]) -> Option<Cfb<'a>> {
        if bytes.len() < 512 || !bytes.starts_with(&OLE_MAGIC) {
            return None;
        }
        let u16_at = |o: usize| u16::from_le_bytes([bytes[o], bytes[o + 1]]);
        let u32_at = |o: usize| u32::from_le_bytes(bytes[o..o + 4].try_into().unwrap());
        let sector_shift = u16_at(0x1E) as u32;
        let mini_shift = u16_at(0x20) as u32;
        if !(7..=16).contains(&sector_shift) || mini_shift >= sector_shift {
            return None;
        }
        let mut cfb = Cfb {
            bytes,
            sector_shift,
            mini_shift,
            mini_cutoff: u32_at(0x38) as u64,
            fat: Vec::new(),
            minifat: Vec::new(),
            entries: Vec::new(),
        };
        let sector_size = 1usize << sector_shift;
        let max_sectors = bytes.len() / sector_size + 1;
        // The FAT's sectors: 109 in the header, the rest in the DIFAT chain.
        let mut fat_sectors: Vec<u32> = (0..109)
            .map(|i| u32_at(0x4C + 4 * i))
            .filter(|s| *s < 0xFFFF_FFFA)
            .collect();
        let mut difat = u32_at(0x44);
        let mut guard = 0;
        while difat < 0xFFFF_FFFA && guard <= max_sectors {
            let s = cfb.sector(difat)?;
            let n = sector_size / 4 - 1;
            for i in 0..n {
                let v = u32::from_le_bytes(s[4 * i..4 * i + 4].try_into().ok()?);
                if v < 0xFFFF_FFFA {
                    fat_sectors.push(v);
                }
            }
            difat = u32::from_le_bytes(s[4 * n..4 * n + 4].try_into().ok()?);
            guard += 1;
        }
        if fat_sectors.len() > max_sectors {
            return None;
        }
        for s in fat_sectors {
            let data = cfb.sector(s)?;
            cfb.fat.extend(
                data.chunks_exact(4)
                    .map(|c| u32::from_le_bytes(c.try_into().unwrap())),
            );
        }
        let dir = cfb.chain(u32_at(0x30), None)?;
        let minifat = cfb.chain(u32_at(0x3C), None).unwrap_or_default();
        cfb.minifat = minifat
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
            .collect();
        for e in dir.chunks_exact(128) {
            let len = (u16::from_le_bytes([e[64], e[65]]) as usize).min(64);
            let units: Vec<u16> = e[..len]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .take_while(|u| *u != 0)
                .collect();
            let name = String::from_utf16_lossy(&units);
            let start = u32::from_le_bytes(e[116..120].try_into().unwrap());
            let size = u64::from_le_bytes(e[120..128].try_into().unwrap());
            let size = if sector_shift == 9 {
                size & 0xFFFF_FFFF
            } else {
                size
            };
            cfb.entries.push((name, start, size));
        }
        Some(cfb)
    }

    fn sector(&self, n: u32) -> Option<&'a [u8]> {
        let size = 1usize << self.sector_shift;
        let start = (n as usize + 1).checked_mul(size)?;
        self.bytes.get(start..start.checked_add(size)?)
    }

    /// A chain of sectors, at most `limit` bytes (else the whole chain, bounded by the file).
    fn chain(&self, mut s: u32, limit: Option<u64>) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let max = self.bytes.len() >> self.sector_shift;
        let mut steps = 0;
        while s != END_OF_CHAIN {
            if steps > max {
                return None;
            }
            out.extend_from_slice(self.sector(s)?);
            if limit.is_some_and(|l| out.len() as u64 >= l) {
                break;
            }
            s = *self.fat.get(s as usize)?;
            steps += 1;
        }
        if let Some(l) = limit {
            out.truncate(l as usize);
        }
        Some(out)
    }

    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        self.entries.iter().position(|e| e.0 == name)
    }

    pub(crate) fn stream(&self, index: usize) -> Option<Vec<u8>> {
        let (_, start, size) = self.entries.get(index)?;
        if *size > self.bytes.len() as u64 {
            return None;
        }
        if *size >= self.mini_cutoff {
            return self.chain(*start, Some(*size));
        }
        // Small streams live in the mini stream, itself held by the root entry.
        let (_, root_start, root_size) = self.entries.first()?;
        let mini = self.chain(*root_start, Some(*root_size))?;
        let mini_size = 1usize << self.mini_shift;
        let mut out = Vec::new();
        let mut s = *start;
        let mut steps = 0;
        while s != END_OF_CHAIN && (out.len() as u64) < *size {
            if steps > self.minifat.len() {
                return None;
            }
            let from = (s as usize).checked_mul(mini_size)?;
            out.extend_from_slice(mini.get(from..from + mini_size)?);
            s = *self.minifat.get(s as usize)?;
            steps += 1;
        }
        out.truncate(*size as usize);
        Some(out)
    }
}
