//! Serde for weight vectors as base64 of little-endian `f32`: about 5.3 bytes a weight in any
//! format (JSON would spend 10-12 a number and parse slowly), bit-exact round trips.

use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn decode(s: &str) -> Option<Vec<u8>> {
    let mut table = [255u8; 256];
    for (i, &c) in ALPHABET.iter().enumerate() {
        table[usize::from(c)] = i as u8;
    }
    let bytes = s.as_bytes();
    if bytes.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        let mut pad = 0;
        for &c in chunk {
            n <<= 6;
            if c == b'=' {
                pad += 1;
            } else if pad > 0 {
                return None;
            } else {
                let v = table[usize::from(c)];
                if v == 255 {
                    return None;
                }
                n |= u32::from(v);
            }
        }
        let three = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&three[..3 - pad.min(2)]);
    }
    Some(out)
}

/// Serialises `w` as a base64 string.
pub fn serialize<S: Serializer>(w: &[f32], s: S) -> Result<S::Ok, S::Error> {
    let bytes: Vec<u8> = w.iter().flat_map(|x| x.to_le_bytes()).collect();
    s.serialize_str(&encode(&bytes))
}

/// Reads a vector written by [`serialize`].
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f32>, D::Error> {
    let s = String::deserialize(d)?;
    let bytes = decode(&s).ok_or_else(|| D::Error::custom("weights: invalid base64"))?;
    if bytes.len() % 4 != 0 {
        return Err(D::Error::custom("weights: length is not a multiple of 4"));
    }
    Ok(bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_every_length() {
        for n in 0..10u8 {
            let v: Vec<u8> = (0..n).map(|i| i.wrapping_mul(97)).collect();
            assert_eq!(decode(&encode(&v)).as_deref(), Some(&v[..]));
        }
        assert!(decode("a=bc").is_none());
    }
}
