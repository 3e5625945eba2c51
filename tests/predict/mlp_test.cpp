#include "snnipred/predict/mlp.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"

namespace snnipred::predict {
namespace {

// y = 3ab + 5a + 2 with a in [1, 1000] and b in [1, 100], both log-uniform: a smooth
// target spanning five orders of magnitude, like layer times across layer shapes.
MlpTrainingData smooth_function(int rows, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    MlpTrainingData data{Eigen::MatrixXd(rows, 2), Eigen::VectorXd(rows)};
    for (int i = 0; i < rows; ++i) {
        const double a = std::pow(10.0, 3 * unit(rng));
        const double b = std::pow(10.0, 2 * unit(rng));
        data.x(i, 0) = a;
        data.x(i, 1) = b;
        data.y(i) = 3 * a * b + 5 * a + 2;
    }
    return data;
}

MlpConfig small_config() {
    MlpConfig config;
    config.hidden_layers = 2;
    config.width = 8;
    config.learning_rate = 1e-2;
    config.batch_size = 16;
    config.max_epochs = 20;
    config.patience = 5;
    return config;
}

std::string serialise(const MlpRegressor& model) {
    std::ostringstream out;
    model.save(out);
    return out.str();
}

MlpRegressor deserialise(const std::string& bytes, const std::string& source = "mem") {
    std::istringstream in(bytes);
    return MlpRegressor::load(in, source);
}

// The model's forward pass written with libtorch ops, for comparison with Eigen.
Eigen::VectorXd torch_predict(const MlpRegressor& model, const Eigen::MatrixXd& x) {
    const auto options = torch::TensorOptions().dtype(torch::kFloat64);
    auto tensor = [&](const Eigen::MatrixXd& m) {
        torch::Tensor t = torch::empty({m.rows(), m.cols()}, options);
        for (Eigen::Index r = 0; r < m.rows(); ++r)
            for (Eigen::Index c = 0; c < m.cols(); ++c) t[r][c] = m(r, c);
        return t;
    };
    const MlpStandardizer& s = model.input_standardizer();
    torch::Tensor h = tensor(x);
    h = torch::sign(h) * torch::log1p(torch::abs(h));
    h = (h - tensor(s.mean.transpose())) / tensor(s.scale.transpose());
    const auto& layers = model.layers();
    for (std::size_t l = 0; l < layers.size(); ++l) {
        h = torch::addmm(tensor(layers[l].bias.transpose()), h, tensor(layers[l].weight).t());
        if (l + 1 < layers.size()) h = torch::relu(h);
    }
    h = torch::clamp_min(torch::expm1(h * model.target_scale() + model.target_mean()), 0.0);
    Eigen::VectorXd out(x.rows());
    for (Eigen::Index r = 0; r < x.rows(); ++r) out(r) = h[r][0].item<double>();
    return out;
}

TEST(Mlp, LearnsSmoothFunctionOnHeldOutPoints) {
    const MlpTrainingData train = smooth_function(600, 1);
    const MlpTrainingData held_out = smooth_function(300, 2);

    constexpr int kTrials = 6;
    std::vector<double> trial_seconds;
    auto last = std::chrono::steady_clock::now();
    const MlpRegressor model = tune_mlp(train, kTrials, 42, [&](const MlpTrialResult& r) {
        const auto now = std::chrono::steady_clock::now();
        trial_seconds.push_back(std::chrono::duration<double>(now - last).count());
        last = now;
        EXPECT_EQ(r.trials, kTrials);
        EXPECT_GT(r.best_epoch, 0);
    });
    ASSERT_EQ(trial_seconds.size(), static_cast<std::size_t>(kTrials));

    const auto start = std::chrono::steady_clock::now();
    Eigen::VectorXd predicted(held_out.y.size());
    for (Eigen::Index i = 0; i < held_out.x.rows(); ++i) {
        const Eigen::RowVectorXd row = held_out.x.row(i);
        predicted(i) = model.predict(row.data());
    }
    const std::chrono::duration<double, std::micro> elapsed = std::chrono::steady_clock::now() - start;
    const double us_per_row = elapsed.count() / static_cast<double>(held_out.x.rows());

    std::vector<double> errors;
    for (Eigen::Index i = 0; i < held_out.y.size(); ++i)
        errors.push_back(std::abs(predicted(i) - held_out.y(i)) / held_out.y(i));
    std::sort(errors.begin(), errors.end());
    double mean_error = 0;
    for (double e : errors) mean_error += e / static_cast<double>(errors.size());
    const double p90 = errors[errors.size() * 9 / 10];
    std::printf("[ figures  ] held-out relative error: mean %.4f, median %.4f, p90 %.4f, max %.4f; "
                "trial %.2f-%.2f s; predict %.2f us/row\n",
                mean_error, errors[errors.size() / 2], p90, errors.back(),
                *std::min_element(trial_seconds.begin(), trial_seconds.end()),
                *std::max_element(trial_seconds.begin(), trial_seconds.end()), us_per_row);
    EXPECT_LT(mean_error, 0.05);
    EXPECT_LT(p90, 0.10);
    // Batch prediction is the same computation, up to summation order.
    EXPECT_LT(((model.predict(held_out.x) - predicted).array().abs() / predicted.array()).maxCoeff(), 1e-12);
}

// Prediction runs in binary32 (as the weights are kept), the torch forward pass in
// binary64: they agree to about 1e-7 relative; a wrong weight, padding or ReLU is far off.
constexpr double kForwardPassAgreement = 1e-5;

TEST(Mlp, InferenceEqualsTorchForward) {
    const MlpTrainingData data = smooth_function(200, 3);
    MlpConfig config = small_config();
    config.hidden_layers = 3;
    const MlpRegressor trained = MlpRegressor::train(data, config, 7);

    // Also random weights, so that every ReLU regime, a wide layer and widths that are not
    // whole lanes of the binary32 kernel (24, 40, 1) are covered.
    std::mt19937_64 rng(5);
    std::normal_distribution<double> normal;
    auto random = [&](Eigen::Index rows, Eigen::Index cols) {
        return Eigen::MatrixXd(Eigen::MatrixXd::NullaryExpr(rows, cols, [&] { return normal(rng); }));
    };
    std::vector<MlpDenseLayer> layers = {{random(32, 2) * 0.5, random(32, 1).col(0)},
                                         {random(1, 32) * 0.1, random(1, 1).col(0)}};
    const MlpRegressor random_model({Eigen::Vector2d(3, 2), Eigen::Vector2d(1.5, 1)}, 4.0, 2.0, layers, config);
    std::vector<MlpDenseLayer> odd_layers = {{random(24, 2) * 0.5, random(24, 1).col(0)},
                                             {random(40, 24) * 0.2, random(40, 1).col(0)},
                                             {random(1, 40) * 0.1, random(1, 1).col(0)}};
    const MlpRegressor odd_model({Eigen::Vector2d(3, 2), Eigen::Vector2d(1.5, 1)}, 4.0, 2.0, odd_layers, config);

    // 50 rows: whole blocks of the kernel and a remainder; each row alone as well.
    const MlpTrainingData probe = smooth_function(50, 4);
    for (const MlpRegressor* model : {&trained, &random_model, &odd_model}) {
        const Eigen::VectorXd batch = model->predict(probe.x);
        const Eigen::VectorXd torch = torch_predict(*model, probe.x);
        for (Eigen::Index i = 0; i < batch.size(); ++i) {
            const double tolerance = kForwardPassAgreement * std::max(1.0, std::abs(torch(i)));
            EXPECT_NEAR(batch(i), torch(i), tolerance) << "row " << i;
            const Eigen::VectorXd row = probe.x.row(i).transpose();
            EXPECT_EQ(model->predict(row.data()), batch(i)) << "row " << i << " alone";
        }
    }
}

TEST(Mlp, SaveLoadRoundTripIsExact) {
    const MlpTrainingData data = smooth_function(100, 5);
    const MlpRegressor model = MlpRegressor::train(data, small_config(), 11);
    const std::string bytes = serialise(model);
    const MlpRegressor loaded = deserialise(bytes);

    EXPECT_EQ(serialise(loaded), bytes);
    EXPECT_EQ(loaded.input_count(), 2);
    EXPECT_EQ(loaded.config().width, model.config().width);
    EXPECT_EQ(loaded.config().learning_rate, model.config().learning_rate);
    const Eigen::VectorXd before = model.predict(data.x);
    const Eigen::VectorXd after = loaded.predict(data.x);
    for (Eigen::Index i = 0; i < before.size(); ++i) EXPECT_EQ(before(i), after(i));

    // The reader consumes exactly the model's bytes, so models can be embedded.
    std::istringstream two(bytes + bytes + "tail");
    MlpRegressor::load(two, "stream");
    MlpRegressor::load(two, "stream");
    std::string rest;
    two >> rest;
    EXPECT_EQ(rest, "tail");
}

TEST(Mlp, KeepsWeightsAtTheSinglePrecisionItStores) {
    const MlpConfig config = small_config();
    const MlpStandardizer input{Eigen::Vector2d(0.3, 0.1), Eigen::Vector2d(1.1, 0.7)};
    const Eigen::MatrixXd exact = (Eigen::MatrixXd(1, 2) << 0.1, -1.0 / 3.0).finished();
    const MlpRegressor model(input, 0.2, 1.3, {{exact, Eigen::VectorXd::Constant(1, 0.7)}}, config);
    const MlpRegressor rounded(input, 0.2, 1.3,
                               {{exact.cast<float>().cast<double>(), Eigen::VectorXd::Constant(1, double{0.7F})}},
                               config);
    const MlpTrainingData probe = smooth_function(20, 8);
    EXPECT_EQ(model.predict(probe.x), rounded.predict(probe.x));
    EXPECT_EQ(serialise(model), serialise(rounded));
    // magic 8, four u32 header words and one layer width, the training config 32, input
    // transform 2 x 2 x 8, target transform 16, two f32 weights and an f32 bias, checksum 8.
    EXPECT_EQ(serialise(model).size(), 8u + 5 * 4 + 32 + 32 + 16 + 3 * 4 + 8);
}

void expect_invalid(const std::string& bytes, const std::string& what) {
    try {
        deserialise(bytes, "model.bin");
        ADD_FAILURE() << what << ": load succeeded";
    } catch (const InvalidInput& e) {
        EXPECT_NE(std::string(e.what()).find("model.bin"), std::string::npos) << e.what();
    }
}

TEST(Mlp, TruncatedOrCorruptStreamsThrowInvalidInput) {
    const MlpRegressor model = MlpRegressor::train(smooth_function(60, 6), small_config(), 3);
    const std::string bytes = serialise(model);
    for (std::size_t size = 0; size < bytes.size(); ++size) expect_invalid(bytes.substr(0, size), "truncated");
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        std::string flipped = bytes;
        flipped[i] = static_cast<char>(flipped[i] ^ 0x10);
        expect_invalid(flipped, "byte " + std::to_string(i) + " flipped");
    }
    std::mt19937_64 rng(9);
    for (int trial = 0; trial < 100; ++trial) {
        std::string garbage(1 + rng() % 2000, '\0');
        for (char& c : garbage) c = static_cast<char>(rng());
        expect_invalid(garbage, "garbage");
    }
    expect_invalid("not a model at all", "text");

    // A valid header announcing huge dimensions fails before allocating them.
    std::string huge = bytes.substr(0, 16);  // magic, version, activation
    huge += std::string("\xff\xff\xff\x7f", 4) + std::string("\x08\x00\x00\x00", 4);
    expect_invalid(huge, "huge input count");
    huge = bytes.substr(0, 20) + std::string("\xff\xff\xff\xff", 4);
    expect_invalid(huge, "huge layer count");
}

TEST(Mlp, SameSeedGivesSameModel) {
    const MlpTrainingData data = smooth_function(120, 7);
    EXPECT_EQ(serialise(MlpRegressor::train(data, small_config(), 21)),
              serialise(MlpRegressor::train(data, small_config(), 21)));
    EXPECT_NE(serialise(MlpRegressor::train(data, small_config(), 21)),
              serialise(MlpRegressor::train(data, small_config(), 22)));
    const MlpTrainingData tiny = smooth_function(40, 8);
    EXPECT_EQ(serialise(tune_mlp(tiny, 2, 5)), serialise(tune_mlp(tiny, 2, 5)));
}

TEST(Mlp, RejectsInvalidTrainingData) {
    const MlpConfig config = small_config();
    EXPECT_THROW(MlpRegressor::train({}, config, 1), InvalidInput);
    MlpTrainingData data = smooth_function(20, 9);
    data.y(3) = -1;
    EXPECT_THROW(MlpRegressor::train(data, config, 1), InvalidInput);
    data.y(3) = 1;
    data.x(2, 1) = std::nan("");
    EXPECT_THROW(MlpRegressor::train(data, config, 1), InvalidInput);
    data.x(2, 1) = 1;
    data.y.conservativeResize(10);
    EXPECT_THROW(MlpRegressor::train(data, config, 1), InvalidInput);
    MlpConfig deep = config;
    deep.hidden_layers = 6;
    EXPECT_THROW(MlpRegressor::train(smooth_function(20, 9), deep, 1), ConfigError);
    EXPECT_THROW(tune_mlp(smooth_function(20, 9), 0, 1), ConfigError);
    // Fewer rows than a validation split needs still trains, on all of them.
    EXPECT_EQ(tune_mlp(smooth_function(3, 9), 1, 1).input_count(), 2);
}

}  // namespace
}  // namespace snnipred::predict
