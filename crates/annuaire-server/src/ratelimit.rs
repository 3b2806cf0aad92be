//! Per-client rate limiting: a token bucket per IP address.
//!
//! A client may send `burst` requests at once, then `rate` per second. Buckets live in a few
//! mutex-protected shards so that concurrent requests from different clients rarely wait on each
//! other; buckets that have refilled are dropped when a shard grows, so a flood of spoofed
//! addresses cannot grow memory without bound.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

const SHARDS: usize = 16;
/// Above this many clients in a shard, full buckets are forgotten.
const SHARD_CAP: usize = 4096;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

#[derive(Debug)]
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    shards: Vec<Mutex<HashMap<IpAddr, Bucket>>>,
}

impl RateLimiter {
    /// `rate` requests per second per client, `burst` at once; a rate of 0 disables limiting.
    pub fn new(rate: u32, burst: u32) -> RateLimiter {
        RateLimiter {
            rate: f64::from(rate),
            burst: f64::from(burst.max(rate).max(1)),
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }

    pub fn enabled(&self) -> bool {
        self.rate > 0.0
    }

    /// Take a token for `client` at `now`: `Ok` if allowed, else the seconds to wait.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        if !self.enabled() {
            return Ok(());
        }
        let shard = &self.shards[shard_of(&client)];
        let mut map = shard.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= SHARD_CAP && !map.contains_key(&client) {
            let (rate, burst) = (self.rate, self.burst);
            map.retain(|_, b| b.tokens + now.saturating_duration_since(b.last).as_secs_f64() * rate < burst);
        }
        let b = map.entry(client).or_insert(Bucket { tokens: self.burst, last: now });
        let elapsed = now.saturating_duration_since(b.last).as_secs_f64();
        b.tokens = (b.tokens + elapsed * self.rate).min(self.burst);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - b.tokens) / self.rate).ceil().max(1.0) as u64)
        }
    }
}

fn shard_of(ip: &IpAddr) -> usize {
    let sum: usize = match ip {
        IpAddr::V4(v) => v.octets().iter().map(|&b| b as usize).sum(),
        IpAddr::V6(v) => v.octets().iter().map(|&b| b as usize).sum(),
    };
    sum % SHARDS
}

/// The client address: the peer, unless the peer is a trusted proxy, in which case the
/// right-most address of `X-Forwarded-For` that is not itself a trusted proxy. An untrusted peer's
/// `X-Forwarded-For` is ignored, since anyone can write one.
pub fn client_ip(peer: Option<IpAddr>, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let Some(xff) = forwarded_for else { return Some(peer) };
    let mut last_untrusted = None;
    for part in xff.rsplit(',') {
        match part.trim().parse::<IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => {
                last_untrusted = Some(ip);
                break;
            }
            // A malformed entry: what is left of it cannot be trusted either.
            Err(_) => break,
        }
    }
    Some(last_untrusted.unwrap_or(peer))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn burst_then_rate() {
        let l = RateLimiter::new(2, 4);
        let t0 = Instant::now();
        let a = ip("192.0.2.1");
        for _ in 0..4 {
            assert_eq!(l.check(a, t0), Ok(()));
        }
        assert_eq!(l.check(a, t0), Err(1));
        // Another client has its own bucket.
        assert_eq!(l.check(ip("192.0.2.2"), t0), Ok(()));
        // Half a second gives back one token at 2 per second.
        assert_eq!(l.check(a, t0 + Duration::from_millis(500)), Ok(()));
        assert!(l.check(a, t0 + Duration::from_millis(500)).is_err());
        // Refill never exceeds the burst.
        let later = t0 + Duration::from_secs(60);
        for _ in 0..4 {
            assert_eq!(l.check(a, later), Ok(()));
        }
        assert!(l.check(a, later).is_err());
    }

    #[test]
    fn zero_disables() {
        let l = RateLimiter::new(0, 0);
        let t0 = Instant::now();
        for _ in 0..10_000 {
            assert_eq!(l.check(ip("192.0.2.1"), t0), Ok(()));
        }
    }

    #[test]
    fn memory_is_bounded() {
        let l = RateLimiter::new(1, 1);
        let t0 = Instant::now();
        for i in 0..200_000u32 {
            let _ = l.check(IpAddr::V4(i.into()), t0 + Duration::from_secs(u64::from(i / 1000) * 2));
        }
        let total: usize = l.shards.iter().map(|s| s.lock().unwrap().len()).sum();
        assert!(total <= SHARDS * SHARD_CAP, "{total}");
    }

    fn check(peer: &str, xff: Option<&str>, trusted: &[&str], want: &str) {
        let trusted: Vec<IpAddr> = trusted.iter().map(|s| ip(s)).collect();
        assert_eq!(client_ip(Some(ip(peer)), xff, &trusted), Some(ip(want)), "{peer} {xff:?} {trusted:?}");
    }

    #[test]
    fn forwarded_for_only_from_trusted_proxies() {
        check("203.0.113.9", None, &[], "203.0.113.9");
        check("203.0.113.9", Some("1.2.3.4"), &[], "203.0.113.9");
        check("203.0.113.9", Some("1.2.3.4"), &["10.0.0.1"], "203.0.113.9");
        check("10.0.0.1", Some("1.2.3.4"), &["10.0.0.1"], "1.2.3.4");
        check("10.0.0.1", Some("6.6.6.6, 1.2.3.4"), &["10.0.0.1"], "1.2.3.4");
        check("10.0.0.1", Some("6.6.6.6, 1.2.3.4, 10.0.0.2"), &["10.0.0.1", "10.0.0.2"], "1.2.3.4");
        check("10.0.0.1", Some("garbage"), &["10.0.0.1"], "10.0.0.1");
        check("10.0.0.1", Some(""), &["10.0.0.1"], "10.0.0.1");
        check("10.0.0.1", Some("10.0.0.1"), &["10.0.0.1"], "10.0.0.1");
        check("::1", Some("2001:db8::7"), &["::1"], "2001:db8::7");
    }
}
