//! Gzip input: detected by its magic bytes, inflated with a hard cap on the decompressed size so
//! a gzip bomb costs at most the cap, never the machine.

use std::io::Read;

use crate::{Error, Result};

/// The two magic bytes every gzip member starts with.
const MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Whether `bytes` start like a gzip stream.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// Largest compression ratio the trailer's size hint may claim before it is capped (HTML
/// deflates 4-10x; highly repetitive pages reach a few dozen).
const HINT_MAX_RATIO: usize = 32;

/// Inflates `bytes` (all gzip members), keeping at most `cap + 1` decompressed bytes: getting one
/// byte past the cap is how the caller learns the input was cut. A corrupt or cut-off stream is
/// [`Error::Input`]; if the cap was reached first, the bytes inflated so far are kept instead,
/// since the caller is about to truncate anyway.
pub fn inflate(bytes: &[u8], cap: usize) -> Result<Vec<u8>> {
    let limit = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
    // The gzip trailer ends with the uncompressed size (mod 2^32): a good first capacity, so the
    // output is not copied while it grows. It is only a hint (it may lie); the cap still rules.
    let hint = bytes
        .get(bytes.len().saturating_sub(4)..)
        .and_then(|t| <[u8; 4]>::try_from(t).ok())
        .map_or(0, |t| u32::from_le_bytes(t) as usize);
    // A hint larger than a generous ratio to the input is not trusted (a corrupt 10-byte file
    // could otherwise reserve the whole cap); the vector still grows as real output arrives.
    let plausible = bytes.len().saturating_mul(HINT_MAX_RATIO);
    let guess = if hint > 0 {
        hint.min(plausible)
    } else {
        bytes.len().saturating_mul(4)
    };
    let mut out = Vec::with_capacity(guess.min(cap.saturating_add(1)));
    let decoder = flate2::read::MultiGzDecoder::new(bytes);
    match decoder.take(limit).read_to_end(&mut out) {
        Ok(_) => Ok(out),
        Err(_) if out.len() > cap => Ok(out),
        Err(err) => Err(Error::Input(format!(
            "corrupt gzip data ({err}) after {} decompressed bytes",
            out.len()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn round_trip_and_cap() {
        let data = vec![b'a'; 10_000];
        let packed = gz(&data);
        assert!(is_gzip(&packed));
        assert_eq!(inflate(&packed, 1 << 20).unwrap(), data);
        // A cap below the size yields cap + 1 bytes: enough to know it was cut.
        assert_eq!(inflate(&packed, 100).unwrap().len(), 101);
    }

    #[test]
    fn corrupt_is_input_error() {
        let mut packed = gz(b"<html><body>hello there, a page</body></html>");
        let n = packed.len();
        packed.truncate(n / 2);
        assert!(matches!(inflate(&packed, 1 << 20), Err(Error::Input(_))));
        assert!(matches!(
            inflate(&[0x1f, 0x8b, 0, 0, 1, 2, 3], 1 << 20),
            Err(Error::Input(_))
        ));
    }
}
