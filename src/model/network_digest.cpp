#include "snnipred/model/network_digest.h"

#include <cstdint>
#include <cstdio>

namespace snnipred {
namespace {

// Appends to `text` (rather than chaining operator+ on temporaries, which GCC 12
// misreads as an overlapping copy).
void append_window(std::string& text, const Window& w) {
    for (const std::int64_t v : {w.kernel_h, w.kernel_w, w.stride_h, w.stride_w, w.pad_top, w.pad_bottom, w.pad_left,
                                 w.pad_right}) {
        text += ' ';
        text += std::to_string(v);
    }
    if (w.ceil_mode) text += " ceil";
}

}  // namespace

std::string network_structure(const Network& network) {
    std::string text;
    for (const Layer& layer : network.layers()) {
        text += layer.name;
        text += ' ';
        text += layer_type_name(layer.type);
        text += " <";
        for (const std::string& input : layer.inputs) (text += ' ') += input;
        for (const Shape& shape : layer.input_shapes) (text += ' ') += shape.str();
        text += " > ";
        text += layer.output.str();
        for (const std::int64_t v : {layer.out_channels, layer.groups, std::int64_t{layer.bias}}) {
            text += ' ';
            text += std::to_string(v);
        }
        append_window(text, layer.window);
        (text += " clip ") += std::to_string(layer.clip_min);
        (text += ' ') += std::to_string(layer.clip_max);
        text += '\n';
    }
    return text;
}

std::string network_digest(const Network& network) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a offset basis and prime
    for (const char c : network_structure(network)) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    char hex[17];
    std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

}  // namespace snnipred
