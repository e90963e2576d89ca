//! Webhook signatures in the Standard Webhooks scheme: HMAC-SHA256 over
//! `{id}.{timestamp}.{body}`, base64-encoded, sent as `v1,<signature>`.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::trace::Status;

/// The shared secret of the simulated endpoint. A real secret is random and
/// private; a fixed one keeps runs reproducible.
pub const SECRET: &[u8] = b"whsec-playground-not-a-real-secret";

/// Why a delivery failed verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// The signature does not match the body as the receiver read it.
    Mismatch,
    /// The signed timestamp is further from the receiver's clock than the tolerance.
    OutsideTolerance,
}

/// The event body exactly as ABC Payment serializes it. The keys are not in
/// alphabetical order, as in most real payloads, so a receiver that parses
/// and re-serializes the body changes its bytes.
pub fn event_body(event_id: u32, payment: u32, status: Status, created_s: u64) -> String {
    format!(
        r#"{{"id":"evt_{event_id}","type":"payment.{status}","created":{created_s},"data":{{"object":"payment","id":"pay_{payment}","status":"{status}"}}}}"#,
        status = status.as_str()
    )
}

/// The `webhook-id` header of an event.
pub fn message_id(event_id: u32) -> String {
    format!("evt_{event_id}")
}

/// Signs a delivery; returns the `webhook-signature` header value.
pub fn sign(secret: &[u8], id: &str, timestamp_s: u64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(format!("{id}.{timestamp_s}.").as_bytes());
    mac.update(body.as_bytes());
    format!("v1,{}", BASE64.encode(mac.finalize().into_bytes()))
}

/// Checks a delivery as a receiver does: first the timestamp against the
/// tolerance, then the signature over the body in constant time.
pub fn verify(
    secret: &[u8],
    id: &str,
    timestamp_s: u64,
    body: &str,
    header: &str,
    now_s: u64,
    tolerance_s: u64,
) -> Result<(), Rejection> {
    if now_s.abs_diff(timestamp_s) > tolerance_s {
        return Err(Rejection::OutsideTolerance);
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(format!("{id}.{timestamp_s}.").as_bytes());
    mac.update(body.as_bytes());
    // A header may carry several space-separated signatures during key rotation.
    let matches = header.split(' ').filter_map(|entry| entry.strip_prefix("v1,")).any(|encoded| {
        BASE64.decode(encoded).is_ok_and(|expected| mac.clone().verify_slice(&expected).is_ok())
    });
    if matches {
        Ok(())
    } else {
        Err(Rejection::Mismatch)
    }
}

/// Parses the body and writes it back, as a framework that hands the handler
/// a parsed object does. `serde_json::Value` sorts keys, so the bytes change.
pub fn reserialize(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .map_or_else(|_| body.to_string(), |value| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = r#"{"id":"evt_1","type":"payment.succeeded"}"#;

    #[test]
    fn signed_body_verifies() {
        let header = sign(SECRET, "evt_1", 1_000, BODY);
        assert!(header.starts_with("v1,"));
        assert_eq!(verify(SECRET, "evt_1", 1_000, BODY, &header, 1_010, 300), Ok(()));
    }

    #[test]
    fn rotated_header_verifies() {
        let header = format!("v1,bm90LWl0 {}", sign(SECRET, "evt_1", 1_000, BODY));
        assert_eq!(verify(SECRET, "evt_1", 1_000, BODY, &header, 1_000, 300), Ok(()));
    }

    #[test]
    fn any_change_is_a_mismatch() {
        let header = sign(SECRET, "evt_1", 1_000, BODY);
        let check = |id, timestamp, body: &str, secret: &[u8]| {
            verify(secret, id, timestamp, body, &header, 1_000, 300)
        };
        assert_eq!(check("evt_2", 1_000, BODY, SECRET), Err(Rejection::Mismatch));
        assert_eq!(check("evt_1", 1_001, BODY, SECRET), Err(Rejection::Mismatch));
        assert_eq!(
            check("evt_1", 1_000, &BODY.replace("succeeded", "failed"), SECRET),
            Err(Rejection::Mismatch)
        );
        assert_eq!(check("evt_1", 1_000, BODY, b"other secret"), Err(Rejection::Mismatch));
    }

    #[test]
    fn reserialized_body_fails() {
        let body = event_body(7, 3, Status::Succeeded, 1_700_000_000);
        let header = sign(SECRET, "evt_7", 1_700_000_000, &body);
        let rewritten = reserialize(&body);
        assert_ne!(rewritten, body);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&rewritten).unwrap(),
            serde_json::from_str::<serde_json::Value>(&body).unwrap(),
            "same data, other bytes"
        );
        let verdict = verify(SECRET, "evt_7", 1_700_000_000, &rewritten, &header, 1_700_000_000, 300);
        assert_eq!(verdict, Err(Rejection::Mismatch));
    }

    #[test]
    fn old_timestamp_is_rejected() {
        let header = sign(SECRET, "evt_1", 1_000, BODY);
        assert_eq!(
            verify(SECRET, "evt_1", 1_000, BODY, &header, 1_301, 300),
            Err(Rejection::OutsideTolerance)
        );
        assert_eq!(verify(SECRET, "evt_1", 1_000, BODY, &header, 1_300, 300), Ok(()));
    }
}
