#include "snnipred/predict/nnls.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "snnipred/core/error.h"

namespace snnipred::predict {
namespace {

// Unconstrained least squares on the passive columns; zero elsewhere.
Eigen::VectorXd passive_solution(const Eigen::MatrixXd& a, const Eigen::VectorXd& b, const std::vector<bool>& passive) {
    std::vector<Eigen::Index> columns;
    for (Eigen::Index j = 0; j < a.cols(); ++j)
        if (passive[j]) columns.push_back(j);
    Eigen::MatrixXd sub(a.rows(), static_cast<Eigen::Index>(columns.size()));
    for (std::size_t k = 0; k < columns.size(); ++k) sub.col(static_cast<Eigen::Index>(k)) = a.col(columns[k]);
    // Column pivoting keeps nearly collinear passive sets (common with normalised
    // features that move together) from blowing up.
    const Eigen::VectorXd s_p = sub.colPivHouseholderQr().solve(b);
    Eigen::VectorXd s = Eigen::VectorXd::Zero(a.cols());
    for (std::size_t k = 0; k < columns.size(); ++k) s(columns[k]) = s_p(static_cast<Eigen::Index>(k));
    return s;
}

}  // namespace

NnlsResult nnls(const Eigen::MatrixXd& a, const Eigen::VectorXd& b, int max_iterations) {
    SNNIPRED_CHECK(a.rows() == b.size(), ConfigError,
                   "nnls: A has " + std::to_string(a.rows()) + " rows but b has " + std::to_string(b.size()));
    const Eigen::Index n = a.cols();
    if (max_iterations <= 0) max_iterations = static_cast<int>(3 * std::max<Eigen::Index>(n, 1));
    const double tolerance = 10 * std::numeric_limits<double>::epsilon() *
                             std::max<double>(1.0, a.cwiseAbs().colwise().sum().maxCoeff()) *
                             static_cast<double>(std::max(a.rows(), n));

    NnlsResult result;
    result.x = Eigen::VectorXd::Zero(n);
    std::vector<bool> passive(static_cast<std::size_t>(n), false);
    Eigen::VectorXd& x = result.x;
    Eigen::VectorXd w = a.transpose() * (b - a * x);

    while (true) {
        Eigen::Index best = -1;
        for (Eigen::Index j = 0; j < n; ++j)
            if (!passive[j] && w(j) > tolerance && (best < 0 || w(j) > w(best))) best = j;
        if (best < 0) break;
        if (result.iterations >= max_iterations) {
            result.converged = false;
            break;
        }
        ++result.iterations;
        passive[best] = true;

        // Inner loop: step towards the passive-set solution until it is feasible.
        while (true) {
            Eigen::VectorXd s = passive_solution(a, b, passive);
            double alpha = std::numeric_limits<double>::infinity();
            for (Eigen::Index j = 0; j < n; ++j)
                if (passive[j] && s(j) <= 0) alpha = std::min(alpha, x(j) / (x(j) - s(j)));
            if (!std::isfinite(alpha)) {
                x = s;
                break;
            }
            x += alpha * (s - x);
            bool removed = false;
            for (Eigen::Index j = 0; j < n; ++j)
                if (passive[j] && x(j) <= tolerance) {
                    passive[j] = false;
                    x(j) = 0;
                    removed = true;
                }
            // Guards against a cycle when rounding leaves no variable at zero.
            if (!removed) break;
        }
        w = a.transpose() * (b - a * x);
    }
    result.residual_norm = (a * x - b).norm();
    return result;
}

}  // namespace snnipred::predict
