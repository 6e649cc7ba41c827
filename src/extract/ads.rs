//! Ad markers: a compact matcher for EasyList's generic element-hiding selectors, compiled at
//! training time and stored with the model, plus ad-network hosts and sponsored labels.

use serde::{Deserialize, Serialize};

/// Matches elements against compiled ad selectors. Empty until compiled from EasyList.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AdMatcher {}
