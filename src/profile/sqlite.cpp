#include "sqlite.h"

namespace snnipred::profile::detail {

Database::Database(const std::string& path) : path_(path) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
        const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        db_ = nullptr;
        throw StoreError(path + ": cannot open the store: " + message);
    }
    sqlite3_busy_timeout(db_, 30'000);  // a merge or export may read while a profile writes
}

Database::Database(Database&& other) noexcept : db_(other.db_), path_(std::move(other.path_)) { other.db_ = nullptr; }

Database::~Database() { sqlite3_close(db_); }

void Database::fail(const std::string& what) const {
    const int code = sqlite3_errcode(db_);
    const bool corrupt = code == SQLITE_NOTADB || code == SQLITE_CORRUPT;
    throw StoreError(path_ + ": " + (corrupt ? "not an SQLite database or corrupt (" : what + " failed (") +
                     sqlite3_errmsg(db_) + ")");
}

void Database::exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        sqlite3_free(message);
        fail("'" + sql.substr(0, 40) + "'");
    }
}

Statement Database::prepare(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) fail("preparing '" + sql.substr(0, 40) + "'");
    return Statement(*this, stmt);
}

Statement& Statement::bind(int i, const std::string& v) {
    if (sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        db_->fail("binding");
    return *this;
}

Statement& Statement::bind(int i, std::int64_t v) {
    if (sqlite3_bind_int64(stmt_, i, v) != SQLITE_OK) db_->fail("binding");
    return *this;
}

Statement& Statement::bind(int i, double v) {
    if (sqlite3_bind_double(stmt_, i, v) != SQLITE_OK) db_->fail("binding");
    return *this;
}

Statement& Statement::bind_null(int i) {
    if (sqlite3_bind_null(stmt_, i) != SQLITE_OK) db_->fail("binding");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_->fail("a statement");
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::string Statement::text(int column) const {
    const unsigned char* v = sqlite3_column_text(stmt_, column);
    return v == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(v));
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

Transaction::~Transaction() {
    if (done_) return;
    try {
        db_.exec("ROLLBACK");
    } catch (const StoreError&) {
        // The transaction is gone already (SQLite rolls back on some errors itself).
    }
}

}  // namespace snnipred::profile::detail
