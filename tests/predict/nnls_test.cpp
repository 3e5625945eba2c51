#include "snnipred/predict/nnls.h"

#include <gtest/gtest.h>

#include <random>

#include "snnipred/core/error.h"

namespace snnipred::predict {
namespace {

// The exact NNLS minimum: the best feasible unconstrained solution over every subset of
// columns (the optimum is the unconstrained solution on its own support).
double brute_force_residual(const Eigen::MatrixXd& a, const Eigen::VectorXd& b, Eigen::VectorXd& best_x) {
    const Eigen::Index n = a.cols();
    double best = b.norm();
    best_x = Eigen::VectorXd::Zero(n);
    for (unsigned mask = 1; mask < (1u << n); ++mask) {
        std::vector<Eigen::Index> cols;
        for (Eigen::Index j = 0; j < n; ++j)
            if (mask & (1u << j)) cols.push_back(j);
        Eigen::MatrixXd sub(a.rows(), static_cast<Eigen::Index>(cols.size()));
        for (std::size_t k = 0; k < cols.size(); ++k) sub.col(static_cast<Eigen::Index>(k)) = a.col(cols[k]);
        const Eigen::VectorXd s = sub.colPivHouseholderQr().solve(b);
        if ((s.array() < 0).any()) continue;
        const double r = (sub * s - b).norm();
        if (r < best) {
            best = r;
            best_x.setZero();
            for (std::size_t k = 0; k < cols.size(); ++k) best_x(cols[k]) = s(static_cast<Eigen::Index>(k));
        }
    }
    return best;
}

TEST(Nnls, MatchesBruteForceOnRandomProblems) {
    std::mt19937_64 rng(7);
    std::normal_distribution<double> normal;
    for (int trial = 0; trial < 300; ++trial) {
        const Eigen::Index rows = 3 + static_cast<Eigen::Index>(rng() % 8);
        const Eigen::Index cols = 1 + static_cast<Eigen::Index>(rng() % 6);
        Eigen::MatrixXd a(rows, cols);
        Eigen::VectorXd b(rows);
        for (Eigen::Index i = 0; i < rows; ++i) {
            for (Eigen::Index j = 0; j < cols; ++j) a(i, j) = normal(rng);
            b(i) = normal(rng);
        }
        Eigen::VectorXd expected_x;
        const double expected = brute_force_residual(a, b, expected_x);
        const NnlsResult got = nnls(a, b);
        ASSERT_TRUE(got.converged) << "trial " << trial;
        EXPECT_TRUE((got.x.array() >= 0).all()) << "trial " << trial;
        EXPECT_NEAR(got.residual_norm, expected, 1e-9 * (1 + expected)) << "trial " << trial;
        // Random dense problems have full column rank, so the minimiser is unique.
        if (rows >= cols) EXPECT_LT((got.x - expected_x).norm(), 1e-7 * (1 + expected_x.norm())) << "trial " << trial;
    }
}

TEST(Nnls, RecoversNonNegativeGroundTruth) {
    Eigen::MatrixXd a(4, 2);
    a << 1, 0, 0, 1, 1, 1, 2, 1;
    const Eigen::Vector2d truth(2.0, 0.5);
    const NnlsResult got = nnls(a, a * truth);
    EXPECT_LT((got.x - truth).norm(), 1e-12);
    EXPECT_LT(got.residual_norm, 1e-12);
}

TEST(Nnls, ClampsANegativeUnconstrainedSolution) {
    Eigen::MatrixXd a(3, 1);
    a << 1, 2, 3;
    const NnlsResult got = nnls(a, -a.col(0));
    EXPECT_EQ(got.x(0), 0.0);
}

TEST(Nnls, RejectsMismatchedSizes) {
    EXPECT_THROW(nnls(Eigen::MatrixXd::Ones(3, 2), Eigen::VectorXd::Ones(2)), ConfigError);
}

}  // namespace
}  // namespace snnipred::predict
