//! The one content hash the crate writes into data (an instrument's key hash, a monitor
//! snapshot's configuration fingerprint): FNV-1a, 64 bits, as 16 hex digits. Not
//! cryptographic: it tells apart edits and mix-ups, not a forger's crafted collision.

/// FNV-1a (Fowler, Noll and Vo) of `text`'s bytes, as 16 lower-case hex digits.
pub(crate) fn fnv1a(text: &str) -> String {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    /// The test vectors of the FNV reference (isthe.com/chongo/tech/comp/fnv, FNV-1a 64).
    #[test]
    fn matches_the_reference_vectors() {
        assert_eq!(super::fnv1a(""), "cbf29ce484222325");
        assert_eq!(super::fnv1a("a"), "af63dc4c8601ec8c");
        assert_eq!(super::fnv1a("foobar"), "85944171f73967e8");
    }
}
