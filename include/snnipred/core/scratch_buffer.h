#pragma once
// Reusable scratch memory for the hot loops of the OT protocols. A fresh std::vector of a
// few MB per call costs more than the work it holds: glibc maps it anew (page faults, the
// kernel's zeroing), then value-initialisation zeroes it again, only for the caller to
// overwrite it. A ScratchBuffer owned by a long-lived object (an OT sender, a session)
// keeps its memory across calls, never initialises it, and asks the kernel for huge pages
// when large, so the few faults left and the TLB misses of random lookups shrink 512-fold.

#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <span>
#include <type_traits>

namespace snnipred {

template <typename T>
    requires std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>
class ScratchBuffer {
public:
    /// The first n elements, growing the buffer if needed. Their contents are unspecified
    /// (what the previous user left, or uninitialised memory): callers write before they
    /// read. The span stays valid until the next call that grows the buffer.
    /// Throws std::bad_alloc.
    std::span<T> take(std::size_t n) {
        if (n > capacity_) grow(n);
        return {data_.get(), n};
    }

    std::size_t capacity() const { return capacity_; }

private:
    static constexpr std::size_t kHugePage = std::size_t{2} << 20;

    struct Free {
        void operator()(T* p) const { std::free(p); }
    };

    void grow(std::size_t n) {
        // Grow by half at least, so a sequence of slightly larger requests stays cheap.
        const std::size_t wanted = std::max(n, capacity_ + capacity_ / 2);
        const bool huge = wanted * sizeof(T) >= kHugePage;
        const std::size_t alignment = huge ? kHugePage : std::max(alignof(T), alignof(std::max_align_t));
        const std::size_t bytes = (wanted * sizeof(T) + alignment - 1) / alignment * alignment;
        data_.reset();  // the old contents are scratch: free before allocating the larger
        capacity_ = 0;
        void* memory = std::aligned_alloc(alignment, bytes);
        if (memory == nullptr) throw std::bad_alloc();
        // Advice only: without transparent huge pages the buffer works the same.
        if (huge) madvise(memory, bytes, MADV_HUGEPAGE);
        data_.reset(static_cast<T*>(memory));
        capacity_ = bytes / sizeof(T);
    }

    std::unique_ptr<T, Free> data_;
    std::size_t capacity_ = 0;
};

}  // namespace snnipred
