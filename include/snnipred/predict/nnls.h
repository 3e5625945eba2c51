#pragma once
// Non-negative least squares: minimise ||A x - b||_2 subject to x >= 0, by the
// Lawson–Hanson active-set method (Solving Least Squares Problems, 1974, ch. 23).

#include <Eigen/Dense>

namespace snnipred::predict {

struct NnlsResult {
    Eigen::VectorXd x;           // the minimiser, every entry >= 0
    double residual_norm = 0;    // ||A x - b||_2
    int iterations = 0;          // outer iterations (columns moved into the passive set)
    bool converged = true;       // false if max_iterations stopped the method early
};

/// Solves min ||A x - b|| s.t. x >= 0. `max_iterations` <= 0 means 3 * columns.
/// Throws ConfigError if b's length differs from A's row count.
NnlsResult nnls(const Eigen::MatrixXd& a, const Eigen::VectorXd& b, int max_iterations = 0);

}  // namespace snnipred::predict
