//! Small dense linear algebra for the one-factor fits (p x p, p up to a few dozen): a cyclic
//! Jacobi eigen solver for symmetric matrices and a Cholesky solve. Row-major `Vec<f64>`.

#![allow(clippy::doc_markdown)] // math (λ_j, ψ_h, r_ij) and author names are prose, not code

/// Eigenvalues (descending) and eigenvectors (columns of the returned row-major matrix, in
/// the same order) of the symmetric p x p matrix `a`, by cyclic Jacobi rotations (Golub &
/// Van Loan 2013, §8.5) to full precision: off-diagonal mass below 1e-30 of the total, or
/// 100 sweeps.
pub(super) fn symmetric_eigen(a: &[f64], p: usize) -> (Vec<f64>, Vec<f64>) {
    let mut a = a.to_vec();
    let mut v = vec![0.0; p * p];
    for i in 0..p {
        v[i * p + i] = 1.0;
    }
    let total: f64 = a.iter().map(|x| x * x).sum();
    for _ in 0..100 {
        let mut off = 0.0;
        for i in 0..p {
            for j in (i + 1)..p {
                off += a[i * p + j] * a[i * p + j];
            }
        }
        if off <= 1e-30 * total || off == 0.0 {
            break;
        }
        for i in 0..p {
            for j in (i + 1)..p {
                let aij = a[i * p + j];
                if aij == 0.0 {
                    continue;
                }
                let (aii, ajj) = (a[i * p + i], a[j * p + j]);
                let theta = (ajj - aii) / (2.0 * aij);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..p {
                    let (aki, akj) = (a[k * p + i], a[k * p + j]);
                    a[k * p + i] = c * aki - s * akj;
                    a[k * p + j] = s * aki + c * akj;
                }
                for k in 0..p {
                    let (aik, ajk) = (a[i * p + k], a[j * p + k]);
                    a[i * p + k] = c * aik - s * ajk;
                    a[j * p + k] = s * aik + c * ajk;
                }
                for k in 0..p {
                    let (vki, vkj) = (v[k * p + i], v[k * p + j]);
                    v[k * p + i] = c * vki - s * vkj;
                    v[k * p + j] = s * vki + c * vkj;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..p).collect();
    order.sort_by(|&x, &y| a[y * p + y].total_cmp(&a[x * p + x]));
    let values = order.iter().map(|&i| a[i * p + i]).collect();
    let mut vectors = vec![0.0; p * p];
    for (col, &i) in order.iter().enumerate() {
        for k in 0..p {
            vectors[k * p + col] = v[k * p + i];
        }
    }
    (values, vectors)
}

/// Solves `h x = g` for a symmetric positive definite `h` (Cholesky); `None` when `h` is not
/// positive definite.
pub(super) fn cholesky_solve(h: &[f64], g: &[f64], p: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..=i {
            let mut s = h[i * p + j];
            for k in 0..j {
                s -= l[i * p + k] * l[j * p + k];
            }
            if i == j {
                if s.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
                    return None;
                }
                l[i * p + i] = s.sqrt();
            } else {
                l[i * p + j] = s / l[j * p + j];
            }
        }
    }
    let mut y = g.to_vec();
    for i in 0..p {
        for k in 0..i {
            y[i] -= l[i * p + k] * y[k];
        }
        y[i] /= l[i * p + i];
    }
    for i in (0..p).rev() {
        for k in (i + 1)..p {
            y[i] -= l[k * p + i] * y[k];
        }
        y[i] /= l[i * p + i];
    }
    Some(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigen_of_a_known_matrix() {
        // [[2, 1], [1, 2]]: eigenvalues 3 and 1, vectors (1, 1)/√2 and (1, −1)/√2
        let (values, vectors) = symmetric_eigen(&[2.0, 1.0, 1.0, 2.0], 2);
        assert!((values[0] - 3.0).abs() < 1e-14 && (values[1] - 1.0).abs() < 1e-14);
        assert!((vectors[0].abs() - 0.5f64.sqrt()).abs() < 1e-14);
        assert!((vectors[0] * vectors[2] - 0.5).abs() < 1e-14);
    }

    #[test]
    fn eigen_reconstructs_a_matrix() {
        let p = 4;
        let a = [
            4.0, 1.0, 0.5, 0.2, 1.0, 3.0, 0.3, 0.1, 0.5, 0.3, 2.0, 0.7, 0.2, 0.1, 0.7, 1.0,
        ];
        let (values, v) = symmetric_eigen(&a, p);
        for i in 0..p {
            for j in 0..p {
                let rebuilt: f64 = (0..p)
                    .map(|k| v[i * p + k] * values[k] * v[j * p + k])
                    .sum();
                assert!((rebuilt - a[i * p + j]).abs() < 1e-13, "{i} {j}");
            }
        }
        assert!(values.windows(2).all(|w| w[0] >= w[1]));
    }

    #[test]
    fn cholesky_solves_and_refuses() {
        let x = cholesky_solve(&[4.0, 2.0, 2.0, 3.0], &[2.0, 1.0], 2).unwrap_or_default();
        assert!((x[0] - 0.5).abs() < 1e-15 && x[1].abs() < 1e-15);
        assert!(cholesky_solve(&[1.0, 2.0, 2.0, 1.0], &[1.0, 1.0], 2).is_none());
    }
}
