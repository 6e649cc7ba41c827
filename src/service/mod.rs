//! The gRPC service (`pagescore serve`).

/// Generated protobuf and gRPC code for `pagescore.v1`.
#[allow(missing_docs, clippy::all)]
pub mod pb {
    tonic::include_proto!("pagescore.v1");

    /// The encoded file descriptor set, served by gRPC reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] =
        include_bytes!(concat!(env!("OUT_DIR"), "/pagescore_descriptor.bin"));
}
