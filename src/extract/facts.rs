//! Facts found in lines of visible text, shared by the HTML and plain-text extractors: dates,
//! wire datelines, bylines, engagement counters, breadcrumb trails.
