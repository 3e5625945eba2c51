#include "snnipred/predict/mlp.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <istream>
#include <ostream>
#include <utility>

#include "snnipred/core/error.h"
#include "dense_kernel.h"

// Model file format, version 2. All integers are little-endian; f64 is IEEE-754 binary64
// and f32 binary32, stored as their little-endian bit patterns. Version 1 (still read) stored
// the weights and biases as f64.
//   char[8]  magic "SNNIMLP\0"
//   u32      version (2)
//   u32      activation of the hidden layers (0 = ReLU; the output layer is linear)
//   u32      input count d                    (1..kMaxDimension)
//   u32      dense layer count L              (1..kMaxLayers)
//   u32[L]   outputs of each dense layer      (1..kMaxDimension, the last is 1)
//   i32 hidden_layers, i32 width, f64 learning_rate, i32 batch_size, i32 max_epochs,
//   i32 patience, u32 loss (0 = MSE, 1 = Huber)          -- the training config
//   f64[d]   input mean,  f64[d] input scale,  f64 target mean,  f64 target scale
//   per layer: f32[out * in] weight (row-major), f32[out] bias
//   u64      FNV-1a hash of every preceding byte
// The limits bound what a corrupt header can make load allocate (8 MB per layer).

namespace snnipred::predict {
namespace {

constexpr std::array<char, 8> kMagic = {'S', 'N', 'N', 'I', 'M', 'L', 'P', '\0'};
constexpr std::uint32_t kVersion = 2;
constexpr std::uint32_t kBinary64WeightsVersion = 1;
constexpr std::uint32_t kReluActivation = 0;
constexpr std::uint32_t kMaxDimension = 1024;
constexpr std::uint32_t kMaxLayers = 8;

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

std::uint64_t fnv1a(std::uint64_t hash, const unsigned char* bytes, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * kFnvPrime;
    return hash;
}

double signed_log1p(double v) { return std::copysign(std::log1p(std::abs(v)), v); }

class Writer {
public:
    explicit Writer(std::ostream& out) : out_(out) {}

    void bytes(const void* data, std::size_t size) {
        hash_ = fnv1a(hash_, static_cast<const unsigned char*>(data), size);
        out_.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    void u64(std::uint64_t v) {
        unsigned char b[8];
        for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
        bytes(b, 8);
    }
    void u32(std::uint32_t v) {
        unsigned char b[4];
        for (int i = 0; i < 4; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
        bytes(b, 4);
    }
    void i32(int v) { u32(static_cast<std::uint32_t>(v)); }
    void f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }
    void f64s(const double* v, Eigen::Index n) {
        for (Eigen::Index i = 0; i < n; ++i) f64(v[i]);
    }
    // Exact: the model's weights are binary32 values already (single_precision).
    void f32(double v) { u32(std::bit_cast<std::uint32_t>(static_cast<float>(v))); }
    std::uint64_t hash() const { return hash_; }

private:
    std::ostream& out_;
    std::uint64_t hash_ = kFnvOffset;
};

class Reader {
public:
    Reader(std::istream& in, const std::string& source) : in_(in), source_(source) {}

    [[noreturn]] void fail(const std::string& what) const {
        throw InvalidInput(source_ + ": invalid MLP model: " + what);
    }
    void bytes(void* data, std::size_t size, const char* what) {
        in_.read(static_cast<char*>(data), static_cast<std::streamsize>(size));
        if (static_cast<std::size_t>(in_.gcount()) != size) fail(std::string("truncated while reading ") + what);
        hash_ = fnv1a(hash_, static_cast<const unsigned char*>(data), size);
    }
    std::uint64_t u64(const char* what) {
        unsigned char b[8];
        bytes(b, 8, what);
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(b[i]) << (8 * i);
        return v;
    }
    std::uint32_t u32(const char* what) {
        unsigned char b[4];
        bytes(b, 4, what);
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(b[i]) << (8 * i);
        return v;
    }
    int i32(const char* what) { return static_cast<int>(u32(what)); }
    std::uint32_t bounded(const char* what, std::uint32_t low, std::uint32_t high) {
        const std::uint32_t v = u32(what);
        if (v < low || v > high)
            fail(std::string(what) + " " + std::to_string(v) + " outside [" + std::to_string(low) + ", " +
                 std::to_string(high) + "]");
        return v;
    }
    double f64(const char* what) {
        const double v = std::bit_cast<double>(u64(what));
        if (!std::isfinite(v)) fail(std::string("non-finite ") + what);
        return v;
    }
    void f64s(double* v, Eigen::Index n, const char* what) {
        for (Eigen::Index i = 0; i < n; ++i) v[i] = f64(what);
    }
    double f32(const char* what) {
        const float v = std::bit_cast<float>(u32(what));
        if (!std::isfinite(v)) fail(std::string("non-finite ") + what);
        return v;
    }
    // A weight or bias, of the width the file's version stores.
    double weight(std::uint32_t version, const char* what) {
        return version == kBinary64WeightsVersion ? f64(what) : f32(what);
    }
    std::uint64_t hash() const { return hash_; }

private:
    std::istream& in_;
    const std::string& source_;
    std::uint64_t hash_ = kFnvOffset;
};

}  // namespace

Eigen::MatrixXd single_precision(const Eigen::MatrixXd& m) { return m.cast<float>().cast<double>(); }

void round_to_single_precision(MlpDenseLayer& layer) {
    layer.weight = single_precision(layer.weight);
    layer.bias = single_precision(layer.bias);
}

MlpRegressor::MlpRegressor(MlpStandardizer input, double target_mean, double target_scale,
                           std::vector<MlpDenseLayer> layers, MlpConfig config)
    : input_(std::move(input)),
      target_mean_(target_mean),
      target_scale_(target_scale),
      layers_(std::move(layers)),
      config_(config) {
    for (MlpDenseLayer& layer : layers_) round_to_single_precision(layer);
    SNNIPRED_CHECK(input_.mean.size() > 0 && input_.mean.size() == input_.scale.size(), ConfigError,
                   "MlpRegressor: input mean and scale must be non-empty and of equal length");
    SNNIPRED_CHECK(input_.mean.allFinite() && input_.scale.allFinite() && (input_.scale.array() > 0).all(),
                   ConfigError, "MlpRegressor: input transform must be finite with positive scales");
    SNNIPRED_CHECK(std::isfinite(target_mean_) && std::isfinite(target_scale_) && target_scale_ > 0, ConfigError,
                   "MlpRegressor: target transform must be finite with a positive scale");
    SNNIPRED_CHECK(!layers_.empty(), ConfigError, "MlpRegressor: no layers");
    Eigen::Index inputs = input_.mean.size();
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        const MlpDenseLayer& layer = layers_[l];
        SNNIPRED_CHECK(layer.weight.cols() == inputs && layer.weight.rows() == layer.bias.size() &&
                           layer.bias.size() > 0,
                       ConfigError, "MlpRegressor: layer " + std::to_string(l) + " dimensions do not chain");
        SNNIPRED_CHECK(layer.weight.allFinite() && layer.bias.allFinite(), ConfigError,
                       "MlpRegressor: layer " + std::to_string(l) + " has a non-finite value");
        inputs = layer.weight.rows();
    }
    SNNIPRED_CHECK(inputs == 1, ConfigError, "MlpRegressor: the last layer must have one output");
    std::size_t previous_outputs = static_cast<std::size_t>(input_.mean.size());
    for (const MlpDenseLayer& layer : layers_) {
        InferenceLayer& padded = inference_.emplace_back();
        padded.inputs = previous_outputs;
        padded.outputs = detail::dense_padded(static_cast<std::size_t>(layer.weight.rows()));
        padded.weight_t.assign(padded.inputs * padded.outputs, 0.0F);
        padded.bias.assign(padded.outputs, 0.0F);
        for (Eigen::Index o = 0; o < layer.weight.rows(); ++o) {
            const auto column = static_cast<std::size_t>(o);
            padded.bias[column] = static_cast<float>(layer.bias(o));
            for (Eigen::Index i = 0; i < layer.weight.cols(); ++i)
                padded.weight_t[static_cast<std::size_t>(i) * padded.outputs + column] = static_cast<float>(layer.weight(o, i));
        }
        previous_outputs = padded.outputs;
    }
}

float MlpRegressor::standardized(double feature, Eigen::Index j) const {
    return static_cast<float>((signed_log1p(feature) - input_.mean(j)) / input_.scale(j));
}

double MlpRegressor::time_ms(double transformed) const {
    return std::max(0.0, std::expm1(transformed * target_scale_ + target_mean_));
}

std::vector<float> MlpRegressor::transformed_outputs(std::vector<float> h, std::size_t rows) const {
    for (std::size_t l = 0; l < inference_.size(); ++l) {
        const InferenceLayer& layer = inference_[l];
        std::vector<float> next(rows * layer.outputs);
        detail::dense_forward(h.data(), rows, layer.inputs, layer.weight_t.data(), layer.bias.data(), layer.outputs,
                              l + 1 < inference_.size(), next.data());
        h = std::move(next);
    }
    std::vector<float> z(rows);
    for (std::size_t r = 0; r < rows; ++r) z[r] = h[r * inference_.back().outputs];
    return z;
}

double MlpRegressor::predict(const double* features) const {
    std::vector<float> h(static_cast<std::size_t>(input_.mean.size()));
    for (Eigen::Index j = 0; j < input_.mean.size(); ++j)
        h[static_cast<std::size_t>(j)] = standardized(features[j], j);
    return time_ms(transformed_outputs(std::move(h), 1).front());
}

Eigen::VectorXd MlpRegressor::predict(const Eigen::MatrixXd& x) const {
    SNNIPRED_CHECK(x.cols() == input_.mean.size(), ConfigError,
                   "MlpRegressor::predict: expected " + std::to_string(input_.mean.size()) + " features, got " +
                       std::to_string(x.cols()));
    const auto rows = static_cast<std::size_t>(x.rows());
    const auto columns = static_cast<std::size_t>(x.cols());
    std::vector<float> h(rows * columns);
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        for (Eigen::Index j = 0; j < x.cols(); ++j)
            h[static_cast<std::size_t>(r) * columns + static_cast<std::size_t>(j)] = standardized(x(r, j), j);
    const std::vector<float> z = transformed_outputs(std::move(h), rows);
    Eigen::VectorXd out(x.rows());
    for (Eigen::Index r = 0; r < x.rows(); ++r) out(r) = time_ms(z[static_cast<std::size_t>(r)]);
    return out;
}

void MlpRegressor::save(std::ostream& out) const {
    Writer w(out);
    w.bytes(kMagic.data(), kMagic.size());
    w.u32(kVersion);
    w.u32(kReluActivation);
    w.u32(static_cast<std::uint32_t>(input_.mean.size()));
    w.u32(static_cast<std::uint32_t>(layers_.size()));
    for (const MlpDenseLayer& layer : layers_) w.u32(static_cast<std::uint32_t>(layer.weight.rows()));
    w.i32(config_.hidden_layers);
    w.i32(config_.width);
    w.f64(config_.learning_rate);
    w.i32(config_.batch_size);
    w.i32(config_.max_epochs);
    w.i32(config_.patience);
    w.u32(config_.loss == MlpLoss::kHuber ? 1 : 0);
    w.f64s(input_.mean.data(), input_.mean.size());
    w.f64s(input_.scale.data(), input_.scale.size());
    w.f64(target_mean_);
    w.f64(target_scale_);
    for (const MlpDenseLayer& layer : layers_) {
        // Row-major on disk whatever Eigen's storage order is.
        for (Eigen::Index r = 0; r < layer.weight.rows(); ++r)
            for (Eigen::Index c = 0; c < layer.weight.cols(); ++c) w.f32(layer.weight(r, c));
        for (Eigen::Index i = 0; i < layer.bias.size(); ++i) w.f32(layer.bias(i));
    }
    w.u64(w.hash());
    if (!out) throw Error("MlpRegressor::save: write failed");
}

MlpRegressor MlpRegressor::load(std::istream& in, const std::string& source) {
    Reader r(in, source);
    std::array<char, 8> magic{};
    r.bytes(magic.data(), magic.size(), "magic");
    if (magic != kMagic) r.fail("bad magic (not an snnipred MLP model)");
    const std::uint32_t version = r.u32("version");
    if (version != kVersion && version != kBinary64WeightsVersion)
        r.fail("unsupported version " + std::to_string(version));
    const std::uint32_t activation = r.u32("activation");
    if (activation != kReluActivation) r.fail("unknown activation " + std::to_string(activation));
    const std::uint32_t inputs = r.bounded("input count", 1, kMaxDimension);
    const std::uint32_t layer_count = r.bounded("layer count", 1, kMaxLayers);
    std::vector<std::uint32_t> outputs(layer_count);
    for (std::uint32_t& o : outputs) o = r.bounded("layer width", 1, kMaxDimension);
    if (outputs.back() != 1) r.fail("last layer has " + std::to_string(outputs.back()) + " outputs, expected 1");

    MlpConfig config;
    config.hidden_layers = r.i32("config");
    config.width = r.i32("config");
    config.learning_rate = r.f64("config");
    config.batch_size = r.i32("config");
    config.max_epochs = r.i32("config");
    config.patience = r.i32("config");
    config.loss = r.bounded("loss", 0, 1) == 1 ? MlpLoss::kHuber : MlpLoss::kMse;

    MlpStandardizer input{Eigen::VectorXd(inputs), Eigen::VectorXd(inputs)};
    r.f64s(input.mean.data(), inputs, "input mean");
    r.f64s(input.scale.data(), inputs, "input scale");
    if (!(input.scale.array() > 0).all()) r.fail("non-positive input scale");
    const double target_mean = r.f64("target mean");
    const double target_scale = r.f64("target scale");
    if (!(target_scale > 0)) r.fail("non-positive target scale");

    std::vector<MlpDenseLayer> layers(layer_count);
    Eigen::Index in_size = inputs;
    for (std::uint32_t l = 0; l < layer_count; ++l) {
        MlpDenseLayer& layer = layers[l];
        layer.weight.resize(outputs[l], in_size);
        for (Eigen::Index row = 0; row < layer.weight.rows(); ++row)
            for (Eigen::Index c = 0; c < in_size; ++c) layer.weight(row, c) = r.weight(version, "weight");
        layer.bias.resize(outputs[l]);
        for (Eigen::Index i = 0; i < layer.bias.size(); ++i) layer.bias(i) = r.weight(version, "bias");
        in_size = outputs[l];
    }
    const std::uint64_t expected = r.hash();
    if (r.u64("checksum") != expected) r.fail("checksum mismatch (corrupt data)");
    try {
        return MlpRegressor(std::move(input), target_mean, target_scale, std::move(layers), config);
    } catch (const ConfigError& e) {
        r.fail(e.what());
    }
}

}  // namespace snnipred::predict
