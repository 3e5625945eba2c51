#pragma once
// A thin RAII layer over the SQLite C API for the store: a connection and prepared
// statements whose failures throw StoreError naming the database file.

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "snnipred/profile/store.h"

namespace snnipred::profile::detail {

class Statement;

class Database {
public:
    /// Opens (creating if absent) the database at `path`. Throws StoreError.
    explicit Database(const std::string& path);
    Database(Database&& other) noexcept;
    Database& operator=(Database&&) = delete;
    Database(const Database&) = delete;
    ~Database();

    /// Runs one or more statements without results. Throws StoreError.
    void exec(const std::string& sql);
    Statement prepare(const std::string& sql);
    std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
    const std::string& path() const { return path_; }
    /// Throws StoreError with `what` and SQLite's message, naming the file.
    [[noreturn]] void fail(const std::string& what) const;

private:
    sqlite3* db_ = nullptr;
    std::string path_;
};

class Statement {
public:
    Statement(Database& db, sqlite3_stmt* stmt) : db_(&db), stmt_(stmt) {}
    Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
    Statement(const Statement&) = delete;
    ~Statement() { sqlite3_finalize(stmt_); }

    Statement& bind(int i, const std::string& v);
    Statement& bind(int i, std::int64_t v);
    Statement& bind(int i, double v);
    Statement& bind_null(int i);
    /// Steps once: true while a row is available. Throws StoreError.
    bool step();
    /// Steps to completion (statements without results) and resets for reuse.
    void run();
    void reset();

    std::string text(int column) const;
    std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
    double real(int column) const { return sqlite3_column_double(stmt_, column); }
    bool is_null(int column) const;

private:
    Database* db_;
    sqlite3_stmt* stmt_;
};

/// BEGIN IMMEDIATE ... COMMIT; rolled back when destroyed before commit().
class Transaction {
public:
    explicit Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
    Transaction(const Transaction&) = delete;
    ~Transaction();
    void commit() {
        db_.exec("COMMIT");
        done_ = true;
    }

private:
    Database& db_;
    bool done_ = false;
};

}  // namespace snnipred::profile::detail
