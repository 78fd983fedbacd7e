//! Per-token request budget (token bucket): a runaway client or a leaked token cannot starve
//! the rest of the team. Kept in memory: each store process limits what it serves.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<i64, (f64, Instant)>>,
}

impl RateLimiter {
    /// `per_second` = 0 disables the limit.
    pub fn new(per_second: u32, burst: u32) -> RateLimiter {
        RateLimiter {
            per_second: f64::from(per_second),
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Spends one request of `key`'s budget, or says how many seconds to wait.
    pub fn check(&self, key: i64) -> Result<(), u64> {
        self.check_at(key, Instant::now())
    }

    fn check_at(&self, key: i64, now: Instant) -> Result<(), u64> {
        if self.per_second <= 0.0 {
            return Ok(());
        }
        let mut buckets = match self.buckets.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let (tokens, last) = buckets.entry(key).or_insert((self.burst, now));
        let refill = now.saturating_duration_since(*last).as_secs_f64() * self.per_second;
        *tokens = (*tokens + refill).min(self.burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / self.per_second).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_is_allowed_then_refilled_over_time() {
        let limiter = RateLimiter::new(2, 3);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check_at(1, t0).is_ok());
        }
        assert_eq!(limiter.check_at(1, t0), Err(1));
        assert!(limiter.check_at(2, t0).is_ok(), "budgets are per token");
        assert!(limiter.check_at(1, t0 + Duration::from_millis(500)).is_ok());
    }

    #[test]
    fn zero_disables_the_limit() {
        let limiter = RateLimiter::new(0, 0);
        let t0 = Instant::now();
        assert!((0..1000).all(|_| limiter.check_at(1, t0).is_ok()));
    }
}
