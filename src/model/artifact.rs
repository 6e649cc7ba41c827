//! The model bundle on disk: a readable JSON header (versions, schema, data fingerprint, seed,
//! thresholds, shipped metrics and the spam model's parameters) next to a binary payload
//! (MessagePack) with the big parts: the ad matcher and the text models.
//!
//! ```text
//! models/pagescore-model.json   Header (format_version, model_version, schema {names, hash}, ...)
//! models/pagescore-model.bin    Payload {ads, text}; its size and FNV-1a hash are in the header
//! ```
//!
//! The schema hash is FNV-1a 64 of the feature names joined with `\n`, in hex: stable across
//! builds and platforms, and it changes whenever a signal is added, removed, renamed or moved.
//! Loading a bundle whose schema hash differs from this build's [`crate::signals::SCHEMA`] fails.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::fit::FitReport;
use super::metrics::Metrics;
use super::{SpamModel, Thresholds};
use crate::extract::ads::AdMatcher;
use crate::signals::{self, text::TextModels};
use crate::{Error, Result};

/// The bundle format this build reads and writes. Format 2: the spam model is the binned
/// additive model (`model.additive`: scaler, bin edges, linear and bin weights, centring);
/// format 1 was a plain logistic regression (`model.scaler`, `model.linear`).
pub const FORMAT_VERSION: u32 = 2;
/// The semantic version of the model recipe (bumped with the training code).
pub const MODEL_SEMVER: &str = "2.0.0";
/// File name of the header inside a model folder.
pub const HEADER_FILE: &str = "pagescore-model.json";
/// File name of the payload inside a model folder.
pub const PAYLOAD_FILE: &str = "pagescore-model.bin";

/// FNV-1a, 64 bits: the stable hash used for the schema, the data fingerprint and the payload.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The schema hash of feature names: FNV-1a 64 of the names joined with `\n`, 16 hex digits.
pub fn schema_hash<S: AsRef<str>>(names: &[S]) -> String {
    let joined: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    format!("{:016x}", fnv1a64(joined.join("\n").as_bytes()))
}

/// The training-data fingerprint: FNV-1a 64 over `id \t label \n` of every page, in order.
pub fn data_fingerprint<'a>(pages: impl IntoIterator<Item = (&'a str, bool)>) -> String {
    let mut buf = Vec::new();
    for (id, spam) in pages {
        buf.extend_from_slice(id.as_bytes());
        buf.push(b'\t');
        buf.extend_from_slice(if spam { b"spam" } else { b"ham" });
        buf.push(b'\n');
    }
    format!("{:016x}", fnv1a64(&buf))
}

/// The UTC date (`YYYY-MM-DD`) of a Unix time in seconds.
pub fn utc_date(unix_secs: u64) -> String {
    // Howard Hinnant's days-to-civil algorithm.
    let z = (unix_secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The feature schema a model was trained on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    /// Feature names in weight order.
    pub names: Vec<String>,
    /// [`schema_hash`] of the names.
    pub hash: String,
}

impl Schema {
    /// The schema of a list of names.
    pub fn of<S: AsRef<str>>(names: &[S]) -> Self {
        Schema {
            names: names.iter().map(|s| s.as_ref().to_string()).collect(),
            hash: schema_hash(names),
        }
    }
}

/// Where the payload is and how to check it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayloadRef {
    /// File name, beside the header.
    pub file: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// FNV-1a 64 of its bytes, hex.
    pub fnv1a64: String,
}

/// The metrics a model shipped with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ShippedMetrics {
    /// Cross-validation on the training corpus (group folds, calibrated, out of fold).
    pub cv: Option<Metrics>,
    /// The held-out test corpus, when training was given one.
    pub test: Option<Metrics>,
}

/// The bundle's version header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Bundle format ([`FORMAT_VERSION`]).
    pub format_version: u32,
    /// Model version: `MODEL_SEMVER+YYYYMMDD.<fingerprint prefix>.<parameters hash>`: the
    /// training data and the fitted spam model both name it, so the same corpus scored by
    /// changed signal code gives a model of another version.
    pub model_version: String,
    /// UTC date of training.
    pub trained_on: String,
    /// Feature schema.
    pub schema: Schema,
    /// [`data_fingerprint`] of the training corpus.
    pub data_fingerprint: String,
    /// Seed of the training run.
    pub seed: u64,
    /// Verdict thresholds (copied from the model for readers of the header).
    pub thresholds: Thresholds,
    /// Metrics it shipped with.
    pub metrics: ShippedMetrics,
    /// What cross-validation found.
    pub fit: Option<FitReport>,
    /// Free-form notes from training.
    #[serde(default)]
    pub notes: Vec<String>,
    /// The text models' training report (held-out figures of clickbait, promo, topics).
    #[serde(default)]
    pub text_report: Option<serde_json::Value>,
    /// The spam model.
    pub model: SpamModel,
    /// The binary part.
    pub payload: PayloadRef,
}

/// The binary part of a bundle.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Payload {
    /// Ad matcher compiled from EasyList.
    pub ads: AdMatcher,
    /// Text classifiers and topic model.
    pub text: TextModels,
}

/// A whole model bundle in memory.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The header.
    pub header: Header,
    /// The ad matcher and text models.
    pub payload: Payload,
}

/// What callers (the service's `GetModelInfo`) show about a loaded model.
#[derive(Debug, Clone, Serialize)]
pub struct ModelInfo {
    /// Model version.
    pub model_version: String,
    /// Bundle format.
    pub format_version: u32,
    /// UTC date of training.
    pub trained_on: String,
    /// Feature names in weight order.
    pub features: Vec<String>,
    /// Schema hash.
    pub schema_hash: String,
    /// Training-data fingerprint.
    pub data_fingerprint: String,
    /// Training seed.
    pub seed: u64,
    /// Verdict thresholds.
    pub thresholds: Thresholds,
    /// Shipped metrics.
    pub metrics: ShippedMetrics,
    /// Where it was loaded from (`embedded` or a path).
    pub source: String,
    /// When it was loaded.
    #[serde(skip)]
    pub loaded_at: SystemTime,
}

/// What [`Bundle::new`] needs besides the fitted parts.
#[derive(Debug, Clone)]
pub struct BundleMeta {
    /// UTC date of training (`YYYY-MM-DD`).
    pub trained_on: String,
    /// Training-data fingerprint.
    pub data_fingerprint: String,
    /// Seed.
    pub seed: u64,
    /// Metrics to ship.
    pub metrics: ShippedMetrics,
    /// The fit report.
    pub fit: Option<FitReport>,
    /// Notes.
    pub notes: Vec<String>,
    /// The text models' training report.
    pub text_report: Option<serde_json::Value>,
}

impl Bundle {
    /// Assembles a bundle; the payload reference is filled in by [`Bundle::to_bytes`].
    pub fn new(model: SpamModel, ads: AdMatcher, text: TextModels, meta: BundleMeta) -> Self {
        let fp_prefix: String = meta.data_fingerprint.chars().take(8).collect();
        // The parameters as the header stores them (serde_json writes floats deterministically).
        let params = serde_json::to_vec(&model).unwrap_or_default();
        let params_hash = format!("{:016x}", fnv1a64(&params));
        let header = Header {
            format_version: FORMAT_VERSION,
            model_version: format!(
                "{MODEL_SEMVER}+{}.{fp_prefix}.{}",
                meta.trained_on.replace('-', ""),
                &params_hash[..8]
            ),
            trained_on: meta.trained_on,
            schema: Schema::of(&model.features),
            data_fingerprint: meta.data_fingerprint,
            seed: meta.seed,
            thresholds: model.thresholds,
            metrics: meta.metrics,
            fit: meta.fit,
            notes: meta.notes,
            text_report: meta.text_report,
            model,
            payload: PayloadRef {
                file: PAYLOAD_FILE.into(),
                bytes: 0,
                fnv1a64: String::new(),
            },
        };
        Bundle {
            header,
            payload: Payload { ads, text },
        }
    }

    /// Encodes the bundle: (header JSON, payload bytes). Deterministic for the same contents.
    pub fn to_bytes(&self) -> Result<(Vec<u8>, Vec<u8>)> {
        let payload = rmp_serde::to_vec_named(&self.payload)
            .map_err(|e| Error::Model(format!("cannot encode the model payload: {e}")))?;
        let mut header = self.header.clone();
        header.payload = PayloadRef {
            file: PAYLOAD_FILE.into(),
            bytes: payload.len() as u64,
            fnv1a64: format!("{:016x}", fnv1a64(&payload)),
        };
        let mut json = serde_json::to_vec_pretty(&header)
            .map_err(|e| Error::Model(format!("cannot encode the model header: {e}")))?;
        json.push(b'\n');
        Ok((json, payload))
    }

    /// Decodes a bundle and checks it against this build: format version, schema hash against
    /// [`signals::SCHEMA`], payload size and hash.
    pub fn from_bytes(header: &[u8], payload: &[u8]) -> Result<Self> {
        let header = Self::parse_header(header)?;
        check_schema(&header, signals::SCHEMA)?;
        if payload.len() as u64 != header.payload.bytes
            || format!("{:016x}", fnv1a64(payload)) != header.payload.fnv1a64
        {
            return Err(Error::Model(format!(
                "model payload {} is corrupt or from another model ({} bytes, expected {})",
                header.payload.file,
                payload.len(),
                header.payload.bytes
            )));
        }
        let payload: Payload = rmp_serde::from_slice(payload)
            .map_err(|e| Error::Model(format!("cannot decode the model payload: {e}")))?;
        payload.text.check()?;
        Ok(Bundle { header, payload })
    }

    /// Parses and checks only the header (format version, internal consistency).
    pub fn parse_header(header: &[u8]) -> Result<Header> {
        #[derive(Deserialize)]
        struct Version {
            format_version: u32,
        }
        let v: Version = serde_json::from_slice(header)
            .map_err(|e| Error::Model(format!("model header is not a pagescore model: {e}")))?;
        if v.format_version == 1 {
            return Err(Error::Model(format!(
                "model format 1 (a plain logistic regression) is not the format {FORMAT_VERSION} (binned additive model) this build reads: retrain with `pagescore train`"
            )));
        }
        if v.format_version != FORMAT_VERSION {
            return Err(Error::Model(format!(
                "model format {} is not the format {FORMAT_VERSION} this build reads: retrain with `pagescore train`",
                v.format_version
            )));
        }
        let header: Header = serde_json::from_slice(header)
            .map_err(|e| Error::Model(format!("model header is corrupt: {e}")))?;
        let m = &header.model;
        if m.features != header.schema.names {
            return Err(Error::Model(
                "model header is inconsistent: weights do not match its schema".into(),
            ));
        }
        m.additive.check(header.schema.names.len())?;
        Ok(header)
    }

    /// Writes the bundle into folder `dir` (created if needed); returns the header's path.
    pub fn save(&self, dir: &Path) -> Result<PathBuf> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let (json, payload) = self.to_bytes()?;
        let payload_path = dir.join(PAYLOAD_FILE);
        let header_path = dir.join(HEADER_FILE);
        write_atomic(&payload_path, &payload)?;
        write_atomic(&header_path, &json)?;
        Ok(header_path)
    }

    /// Reads the header and the decoded payload of a bundle without checking its schema
    /// against this build: for reusing the text models of another bundle in training.
    pub fn load_parts(path: &Path) -> Result<(Header, Payload)> {
        let (header_bytes, payload) = Self::read_files(path)?;
        let header = Self::parse_header(&header_bytes)?;
        let payload: Payload = rmp_serde::from_slice(&payload)
            .map_err(|e| Error::Model(format!("cannot decode the model payload: {e}")))?;
        payload.text.check()?;
        Ok((header, payload))
    }

    /// Loads a bundle from a folder holding [`HEADER_FILE`], or from the header file itself
    /// (the payload is read from beside it).
    pub fn load(path: &Path) -> Result<Self> {
        let (header_bytes, payload) = Self::read_files(path)?;
        Self::from_bytes(&header_bytes, &payload)
    }

    fn read_files(path: &Path) -> Result<(Vec<u8>, Vec<u8>)> {
        let header_path = if path.is_dir() {
            path.join(HEADER_FILE)
        } else {
            path.to_path_buf()
        };
        let header_bytes = std::fs::read(&header_path).map_err(|e| Error::io(&header_path, e))?;
        let header = Self::parse_header(&header_bytes)?;
        let payload_name = Path::new(&header.payload.file);
        if payload_name.components().count() != 1 {
            return Err(Error::Model(format!(
                "model payload name {:?} must be a plain file name",
                header.payload.file
            )));
        }
        let payload_path = header_path
            .parent()
            .unwrap_or(Path::new("."))
            .join(payload_name);
        let payload = std::fs::read(&payload_path).map_err(|e| Error::io(&payload_path, e))?;
        Ok((header_bytes, payload))
    }

    /// What callers show about this model.
    pub fn info(&self, source: &str, loaded_at: SystemTime) -> ModelInfo {
        let h = &self.header;
        ModelInfo {
            model_version: h.model_version.clone(),
            format_version: h.format_version,
            trained_on: h.trained_on.clone(),
            features: h.schema.names.clone(),
            schema_hash: h.schema.hash.clone(),
            data_fingerprint: h.data_fingerprint.clone(),
            seed: h.seed,
            thresholds: h.thresholds,
            metrics: h.metrics.clone(),
            source: source.to_string(),
            loaded_at,
        }
    }
}

/// Fails unless the header's schema is exactly `schema` (names, order, hash).
pub fn check_schema(header: &Header, schema: &[&str]) -> Result<()> {
    let build = schema_hash(schema);
    let recomputed = schema_hash(&header.schema.names);
    if header.schema.hash != build || recomputed != build {
        return Err(Error::Model(format!(
            "model schema {} does not match this build's signals {build}: retrain with `pagescore train`",
            header.schema.hash
        )));
    }
    Ok(())
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_hash_is_stable_and_order_sensitive() {
        assert_eq!(schema_hash(&["a", "b"]), schema_hash(&["a", "b"]));
        assert_ne!(schema_hash(&["a", "b"]), schema_hash(&["b", "a"]));
        // FNV-1a 64 of the empty string is the offset basis.
        assert_eq!(schema_hash::<&str>(&[]), "cbf29ce484222325");
    }

    #[test]
    fn dates() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(1_798_761_600), "2027-01-01");
    }
}
