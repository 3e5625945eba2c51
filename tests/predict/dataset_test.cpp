#include "snnipred/predict/dataset.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "snnipred/core/error.h"
#include "support/expect_error.h"

namespace snnipred::predict {
namespace {

namespace fs = std::filesystem;
const fs::path kData = fs::path(SNNIPRED_SHARED_DIR) / "data" / "cheetah-sec24";

std::size_t data_lines(const fs::path& file) {
    std::ifstream in(file);
    std::size_t lines = 0;
    std::string text;
    while (std::getline(in, text)) ++lines;
    return lines - 1;  // header
}

fs::path write_temp(const std::string& name, const std::string& text) {
    const fs::path dir = fs::temp_directory_path() / "snnipred_predict_tests";
    fs::create_directories(dir);
    const fs::path file = dir / name;
    std::ofstream(file) << text;
    return file;
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const InvalidInput& e) {
        return e.what();
    }
    return "";
}

TEST(CheetahReader, RowCountsMatchEveryFile) {
    const Dataset all = load_dataset(kData);
    std::map<std::string, std::size_t> per_file;
    for (const LayerRecord& r : all.records) ++per_file[r.source.file];
    std::size_t files = 0;
    for (const char* setting : {"LAN", "WAN"})
        for (const auto& entry : fs::directory_iterator(kData / setting)) {
            ++files;
            EXPECT_EQ(per_file[entry.path().string()], data_lines(entry.path())) << entry.path();
        }
    EXPECT_EQ(files, 32u);
    EXPECT_EQ(per_file.size(), files);
}

TEST(CheetahReader, MapsColumnsOfEachKind) {
    const auto conv = read_cheetah_file(kData / "LAN" / "conv_onlyTime_client.csv", "LAN");
    // First row: 28x28x1 input, 5x5 kernel, 20 filters, no padding, stride 1, 68 ms.
    const LayerRecord& c = conv.front();
    EXPECT_EQ(c.kind, LayerKind::kConv);
    EXPECT_EQ(c.party, Party::kClient);
    EXPECT_EQ(c.setting, "LAN");
    EXPECT_EQ(c.time_ms, 68.0);
    EXPECT_EQ(c.raw_value("C_I"), 1);
    EXPECT_EQ(c.raw_value("C_O"), 20);
    EXPECT_EQ(c.raw_value("H_O"), 24);
    EXPECT_EQ(c.raw_value("W_O"), 24);
    EXPECT_EQ(c.source.line, 2u);

    const auto pool = read_cheetah_file(kData / "LAN" / "maxpool_onlyTime_server.csv", "LAN");
    EXPECT_EQ(pool.front().raw_value("H_I"), 24);  // imgH: the input
    EXPECT_EQ(pool.front().raw_value("H_O"), 12);  // H: the output
    EXPECT_EQ(pool.front().party, Party::kServer);

    const auto bn = read_cheetah_file(kData / "LAN" / "BN2_onlyTime_3D_client.csv", "LAN");
    EXPECT_EQ(bn.front().kind, LayerKind::kBatchNorm);
    EXPECT_EQ(bn.front().variant, "BN2_3D");
    EXPECT_EQ(bn.front().source.run, "1");
    EXPECT_EQ(read_cheetah_file(kData / "LAN" / "BN1_onlyTime_client.csv", "LAN").front().variant, "BN1");
    EXPECT_EQ(read_cheetah_file(kData / "LAN" / "trunc_onlyTime_client.csv", "LAN").front().kind, LayerKind::kTrunc);
}

TEST(CheetahReader, ReportsFileAndLineOfMalformedRows) {
    const std::string header = "\tFC_N\tFC_CI\tFC_CO\ttime_cost\n";
    const fs::path short_row = write_temp("FC_onlyTime_client.csv", header + "0\t1.0\t320.0\t1024.0\t122.0\n1\t1.0\t3\n");
    EXPECT_NE(error_of([&] { read_cheetah_file(short_row, "LAN"); }).find(short_row.string() + ":3:"),
              std::string::npos);
    const fs::path not_number = write_temp("FC_onlyTime_server.csv", header + "0\t1.0\tabc\t1024.0\t122.0\n");
    const std::string message = error_of([&] { read_cheetah_file(not_number, "LAN"); });
    EXPECT_NE(message.find(not_number.string() + ":2:"), std::string::npos) << message;
    EXPECT_NE(message.find("abc"), std::string::npos) << message;
}

TEST(CsvDataset, RoundTripsRecords) {
    Dataset data;
    data.records = read_cheetah_file(kData / "LAN" / "maxpool_onlyTime_client.csv", "LAN");
    data.records.resize(5);
    const auto bn = read_cheetah_file(kData / "WAN" / "BN1_onlyTime_server.csv", "WAN");
    data.records.push_back(bn.front());
    data.records.back().bytes_sent = 1234;
    const fs::path file = fs::temp_directory_path() / "snnipred_predict_tests" / "roundtrip.csv";
    fs::create_directories(file.parent_path());
    write_csv_dataset(file, data);
    const Dataset back = load_dataset(file);
    ASSERT_EQ(back.size(), data.size());
    for (std::size_t i = 0; i < data.size(); ++i) {
        EXPECT_EQ(back.records[i].kind, data.records[i].kind);
        EXPECT_EQ(back.records[i].variant, data.records[i].variant);
        EXPECT_EQ(back.records[i].party, data.records[i].party);
        EXPECT_EQ(back.records[i].setting, data.records[i].setting);
        EXPECT_EQ(back.records[i].time_ms, data.records[i].time_ms);
        EXPECT_EQ(back.records[i].raw, data.records[i].raw);
        EXPECT_EQ(back.records[i].bytes_sent, data.records[i].bytes_sent);
    }
}

TEST(CsvDataset, RejectsMalformedRowsWithFileAndLine) {
    const std::string header = "kind,party,setting,time_ms,N\n";
    const fs::path wrong_count = write_temp("wrong_count.csv", header + "relu,client,LAN,3,10\nrelu,client,LAN,3\n");
    std::string message = error_of([&] { read_csv_dataset(wrong_count); });
    EXPECT_NE(message.find(wrong_count.string() + ":3:"), std::string::npos) << message;

    const fs::path bad_number = write_temp("bad_number.csv", header + "relu,client,LAN,3,1e\n");
    message = error_of([&] { read_csv_dataset(bad_number); });
    EXPECT_NE(message.find(bad_number.string() + ":2:"), std::string::npos) << message;

    const fs::path bad_kind = write_temp("bad_kind.csv", header + "gelu,client,LAN,3,10\n");
    message = error_of([&] { read_csv_dataset(bad_kind); });
    EXPECT_NE(message.find(bad_kind.string() + ":2:"), std::string::npos) << message;

    const fs::path missing = write_temp("missing.csv", "kind,party,setting,time_ms,C\nbn,client,LAN,3,10\n");
    message = error_of([&] { read_csv_dataset(missing); });
    EXPECT_NE(message.find(missing.string() + ":2:"), std::string::npos) << message;
}

TEST(RecordFeatures, ConvCompositeFeaturesByHand) {
    // 3x3 conv, 16 -> 32 channels on 10x12, pad 1+1 / 1+1, stride 2: output 5x6.
    LayerRecord r;
    r.kind = LayerKind::kConv;
    r.raw = {{"C_I", 16}, {"H_I", 10}, {"W_I", 12}, {"C_O", 32}, {"H_O", 5}, {"W_O", 6},
             {"H_F", 3},  {"W_F", 3},  {"S_H", 2},  {"S_W", 2},  {"P_H", 2}, {"P_W", 2}};
    const CompositeFeatures f = record_composite_features(r);
    EXPECT_EQ(f.s_in, 16.0 * 10 * 12);
    EXPECT_EQ(f.s_par, 16.0 * 3 * 3 * 32);
    EXPECT_EQ(f.n_op, 2.0 * 16 * 3 * 3 * 5 * 6 * 32);
    EXPECT_EQ(f.s_out, 32.0 * 5 * 6);
}

TEST(RecordFeatures, TruncAndBatchNorm) {
    LayerRecord trunc;
    trunc.kind = LayerKind::kTrunc;
    trunc.raw = {{"N", 1000}};
    const CompositeFeatures t = record_composite_features(trunc);
    EXPECT_EQ(t.s_in, 1000);
    EXPECT_EQ(t.s_par, 0);
    EXPECT_EQ(t.n_op, 1000);
    EXPECT_EQ(t.s_out, 1000);

    LayerRecord bn;
    bn.kind = LayerKind::kBatchNorm;
    bn.raw = {{"C", 64}, {"H", 7}, {"W", 7}};
    const CompositeFeatures b = record_composite_features(bn);
    EXPECT_EQ(b.s_in, 64.0 * 49);
    EXPECT_EQ(b.s_par, 128);
    EXPECT_EQ(b.n_op, 2.0 * 64 * 49);
    EXPECT_EQ(b.s_out, 64.0 * 49);
}

TEST(RecordDimensions, AreThoseOfTheRecordLayer) {
    // Every published record, and a grouped conv: the allocation-free dimensions, and the
    // composite features computed from them, are those of the IR layer record_layer builds.
    std::vector<LayerRecord> records = load_dataset(kData).records;
    LayerRecord grouped;
    grouped.kind = LayerKind::kConv;
    grouped.raw = {{"C_I", 32}, {"H_I", 14}, {"W_I", 14}, {"C_O", 32}, {"H_O", 7}, {"W_O", 7}, {"H_F", 3},
                   {"W_F", 3},  {"S_H", 2},  {"S_W", 2},  {"P_H", 1}, {"P_W", 1}, {"G", 32}};
    records.push_back(grouped);
    for (const LayerRecord& r : records) {
        const LayerDimensions got = record_dimensions(r);
        const LayerDimensions want = layer_dimensions(record_layer(r));
        const std::string where = r.source.file + ":" + std::to_string(r.source.line);
        EXPECT_EQ(got.type, want.type) << where;
        EXPECT_EQ(got.input, want.input) << where;
        EXPECT_EQ(got.input_elements, want.input_elements) << where;
        EXPECT_EQ(got.output, want.output) << where;
        EXPECT_EQ(got.window, want.window) << where;
        EXPECT_EQ(got.out_channels, want.out_channels) << where;
        EXPECT_EQ(got.groups, want.groups) << where;
        const CompositeFeatures f = composite_features(got), g = composite_features(record_layer(r));
        EXPECT_EQ(f.s_in, g.s_in) << where;
        EXPECT_EQ(f.s_par, g.s_par) << where;
        EXPECT_EQ(f.n_op, g.n_op) << where;
        EXPECT_EQ(f.s_out, g.s_out) << where;
    }
}

TEST(RecordFeatures, MissingRawFeatureThrows) {
    LayerRecord r;
    r.kind = LayerKind::kFc;
    r.raw = {{"N_I", 10}};
    EXPECT_THROW(record_composite_features(r), InvalidInput);
}

TEST(RecordLayer, ReadsRawFeaturesInAnyOrderFirstNameWins) {
    // Shuffled, with an unknown name and a repeated one: record_layer decodes names itself
    // rather than through raw_value, so check that it resolves them the same way.
    LayerRecord r;
    r.kind = LayerKind::kConv;
    r.raw = {{"P_W", 2}, {"G", 4},   {"W_O", 6}, {"H_O", 5}, {"C_O", 32}, {"W_I", 12}, {"H_I", 10},
             {"C_I", 16}, {"H_F", 3}, {"W_F", 3}, {"S_H", 2}, {"S_W", 2},  {"extra", 7}, {"P_H", 2},
             {"C_O", 64}};
    const Layer layer = record_layer(r);
    EXPECT_EQ(layer.out_channels, r.raw_value("C_O"));
    EXPECT_EQ(layer.out_channels, 32);
    EXPECT_EQ(layer.groups, 4);
    EXPECT_EQ(layer.input_shapes.front(), (Shape{16, 10, 12}));
    EXPECT_EQ(layer.output, (Shape{32, 5, 6}));
    EXPECT_EQ(layer.window.pad_top + layer.window.pad_bottom, 2);
    EXPECT_EQ(layer.inputs, std::vector<std::string>{"input"});
}

TEST(RecordLayer, NamesTheMissingOrInvalidRawFeature) {
    LayerRecord pool;
    pool.kind = LayerKind::kMaxPool;
    pool.raw = {{"C", 8}, {"H_I", 4}, {"W_I", 4}, {"H_O", 2}, {"W_O", 2}, {"H_F", 2}, {"W_F", 2}, {"S_H", 2}, {"S_W", 2},
                {"P_H", 0}};
    test_support::expect_error_containing<InvalidInput>([&] { record_layer(pool); }, "missing raw feature P_W");
    LayerRecord relu;
    relu.kind = LayerKind::kRelu;
    relu.raw = {{"N", 2.5}};
    test_support::expect_error_containing<InvalidInput>([&] { record_layer(relu); }, "raw feature N = 2.5");
}

}  // namespace
}  // namespace snnipred::predict
