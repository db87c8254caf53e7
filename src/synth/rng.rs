//! A small deterministic PRNG (SplitMix64) and the draws the generator needs; no dependency, the
//! same sequence on every platform.

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0xD1B5_4A32_D192_ED03)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in 0..n.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.f64().max(1e-12);
        let u2 = self.f64();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }

    pub fn lognormal(&mut self, mu: f64, sigma: f64) -> f64 {
        (mu + sigma * self.normal()).exp()
    }

    /// Poisson (Knuth for small means, normal approximation above 30).
    pub fn poisson(&mut self, mean: f64) -> i64 {
        if mean <= 0.0 {
            return 0;
        }
        if mean > 30.0 {
            return (mean + mean.sqrt() * self.normal()).round().max(0.0) as i64;
        }
        let limit = (-mean).exp();
        let (mut k, mut p) = (0, 1.0);
        loop {
            p *= self.f64();
            if p <= limit {
                return k;
            }
            k += 1;
        }
    }

    /// Binomial(n, p) by summing draws for small n, normal approximation for large n.
    pub fn binomial(&mut self, n: i64, p: f64) -> i64 {
        if n <= 0 {
            return 0;
        }
        if n > 200 {
            let mean = n as f64 * p;
            let sd = (mean * (1.0 - p)).sqrt();
            return (mean + sd * self.normal()).round().clamp(0.0, n as f64) as i64;
        }
        (0..n).filter(|_| self.f64() < p).count() as i64
    }

    /// Splits `n` into counts with probabilities `p` (summing to 1); the counts sum to `n`.
    pub fn multinomial(&mut self, n: i64, p: &[f64]) -> Vec<i64> {
        let mut left = n;
        let mut mass = 1.0;
        let mut out = Vec::with_capacity(p.len());
        for (i, &pi) in p.iter().enumerate() {
            if i == p.len() - 1 {
                out.push(left);
                break;
            }
            let k = if mass <= 0.0 { 0 } else { self.binomial(left, (pi / mass).clamp(0.0, 1.0)) };
            out.push(k);
            left -= k;
            mass -= pi;
        }
        out
    }
}
