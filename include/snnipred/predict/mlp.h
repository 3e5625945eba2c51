#pragma once
// A small multilayer perceptron that regresses one layer type's execution time from its
// features. Training uses libtorch (mlp_training.cpp); prediction runs in binary32 on a
// small dense kernel (src/predict/dense_kernel.h), so a trained model costs microseconds per
// row and nothing that loads one needs libtorch.
//
// Inputs and target are transformed so that the network sees similar magnitudes for
// layer shapes spanning orders of magnitude, and so that it generalises to unseen shapes:
//   input  x -> (slog(x) - mean_x) / std_x   with slog(x) = sign(x) * log1p(|x|)
//   target y -> (log1p(y) - mean_y) / std_y
// Squared error on the transformed target is thus (for targets well above 1 ms) a
// squared relative error. The means and standard deviations are fitted on training rows.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include <Eigen/Dense>

namespace snnipred::predict {

/// Training loss on the transformed target.
enum class MlpLoss { kMse, kHuber };

/// Architecture and optimiser settings of one training run.
struct MlpConfig {
    int hidden_layers = 2;  // 1..5 ReLU layers
    int width = 64;         // units per hidden layer
    double learning_rate = 1e-3;  // Adam step size
    int batch_size = 32;
    int max_epochs = 200;
    int patience = 20;      // epochs without validation improvement before stopping; <= 0: none
    MlpLoss loss = MlpLoss::kMse;
};

/// Raw training rows: x(i, j) is feature j of row i as given (no transform), y(i) the
/// measured time in ms.
struct MlpTrainingData {
    Eigen::MatrixXd x;
    Eigen::VectorXd y;
};

/// An affine standardisation applied after the log transform: (v - mean) / scale.
struct MlpStandardizer {
    Eigen::VectorXd mean;
    Eigen::VectorXd scale;  // every entry > 0
};

/// One dense layer: out = weight * in + bias, weight is (outputs x inputs).
struct MlpDenseLayer {
    Eigen::MatrixXd weight;
    Eigen::VectorXd bias;
};

/// `m` rounded to binary32 (held as doubles). Models keep their weights at the precision
/// they are stored in: half the bytes of binary64 in a bundle, a prediction moves by about
/// 1e-7 relative, and a saved model reloads as the model that predicted.
Eigen::MatrixXd single_precision(const Eigen::MatrixXd& m);
/// `layer`'s weights and bias rounded to binary32 in place (single_precision).
void round_to_single_precision(MlpDenseLayer& layer);

/// Outcome of one random-search trial, reported as soon as the trial ends.
struct MlpTrialResult {
    int trial = 0;   // 0-based
    int trials = 0;  // total number of trials
    MlpConfig config;
    double validation_loss = 0;  // MSE on the transformed target of the held-out rows
    int best_epoch = 0;          // 1-based epoch count at which validation loss was lowest
};

/// Called after every tuning trial (e.g. to print progress); may be empty.
using MlpProgressCallback = std::function<void(const MlpTrialResult&)>;

class MlpRegressor {
public:
    /// Assembles a model from parts: `layers` map the standardised inputs through ReLU
    /// hidden layers to one linear output. Throws ConfigError if the dimensions do not
    /// chain, the last layer has more than one output, a scale is not positive or a value
    /// is not finite.
    MlpRegressor(MlpStandardizer input, double target_mean, double target_scale,
                 std::vector<MlpDenseLayer> layers, MlpConfig config);

    /// Trains one network with Adam on mini-batches (libtorch; bit-for-bit deterministic
    /// for a given seed and data). With config.patience > 0 and at least 5 rows, a seeded
    /// 20% of the rows is held out and training stops when its loss has not improved for
    /// `patience` epochs; the weights of the best epoch are kept. Otherwise all rows train
    /// for max_epochs. Sets torch's process-wide intra-op thread count to 1 meanwhile, so
    /// do not train from several threads at once. Throws InvalidInput on empty or mismatched data, a non-finite value
    /// or a negative target; ConfigError on a config outside the documented ranges; Error
    /// if training diverged (non-finite weights).
    static MlpRegressor train(const MlpTrainingData& data, const MlpConfig& config, std::uint64_t seed);

    /// Predicted time in ms (>= 0) for one row of input_count() raw features.
    double predict(const double* features) const;
    /// Predicted times for every row of `x` (input_count() columns). Throws ConfigError on
    /// a column count mismatch.
    Eigen::VectorXd predict(const Eigen::MatrixXd& x) const;

    /// Writes the model in a compact binary format: magic, version, dimensions, config,
    /// transforms, weights and a checksum (docs in mlp.cpp). Exactly the bytes written are
    /// read back by load, so a model can be embedded in a larger stream. Throws Error if
    /// the stream fails.
    void save(std::ostream& out) const;
    /// Reads a model written by save. Throws InvalidInput naming `source` on a truncated,
    /// corrupt or implausible (e.g. huge dimensions) stream; never allocates more than the
    /// format's limits allow.
    static MlpRegressor load(std::istream& in, const std::string& source);

    int input_count() const { return static_cast<int>(input_.mean.size()); }
    const MlpConfig& config() const { return config_; }
    const MlpStandardizer& input_standardizer() const { return input_; }
    double target_mean() const { return target_mean_; }
    double target_scale() const { return target_scale_; }
    const std::vector<MlpDenseLayer>& layers() const { return layers_; }

private:
    // A dense layer as prediction computes with it: binary32 (the precision the weights
    // are stored at, so nothing is lost, and twice the SIMD width of binary64), the weight
    // transposed and zero-padded to whole lanes of detail::dense_forward.
    struct InferenceLayer {
        std::size_t inputs = 0, outputs = 0;  // outputs padded; inputs the previous layer's
        std::vector<float> weight_t;          // inputs x outputs, row-major
        std::vector<float> bias;              // outputs
    };

    // Input feature j of a row as the first layer takes it: log-transformed and standardised.
    float standardized(double feature, Eigen::Index j) const;
    // The time in ms (>= 0) of a transformed target.
    double time_ms(double transformed) const;
    // The transformed target of each of `rows` rows of standardised inputs `h` (row-major).
    std::vector<float> transformed_outputs(std::vector<float> h, std::size_t rows) const;

    MlpStandardizer input_;
    double target_mean_ = 0;
    double target_scale_ = 1;
    std::vector<MlpDenseLayer> layers_;
    std::vector<InferenceLayer> inference_;
    MlpConfig config_;
};

/// Seeded random search over depth 1..5, width 16..256, learning rate log-uniform in
/// [1e-4, 3e-2] and batch size {16, 32, 64, 128}. Every trial trains on the same seeded 80%
/// of the rows with early stopping on the other 20%; each trial's epoch cap follows from an
/// estimated time budget (~1.5 s of single-threaded work, at least 4 and at most 1000
/// epochs), so large networks on large datasets get fewer epochs. Trials use seeds derived
/// from `seed`; the same seed gives the same model. The config with the lowest validation
/// loss is then retrained on all rows for its best epoch count. Rows < 5: one default-config
/// model trained on all rows. Throws as MlpRegressor::train, ConfigError if trials < 1 and
/// Error if every trial diverged.
MlpRegressor tune_mlp(const MlpTrainingData& data, int trials, std::uint64_t seed,
                      const MlpProgressCallback& progress = {});

}  // namespace snnipred::predict
