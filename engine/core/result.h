#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace DocRay {

// What went wrong, in the terms of the layer that found it. The HTTP layer
// maps each code to a status in one place (httpserver/httperror.cpp); engine
// and job messages are written for the user and name no HTTP field.
enum class ErrorCode {
    InvalidInput, // the request or the document is malformed or unreadable
    Unsupported,  // a format or a feature doc-ray does not read
    TooLarge,     // over a configured limit
    NotFound,     // no such job (or no longer)
    Conflict,     // the job is not in a state that allows the request
    Cancelled,    // stopped on request
    Unavailable,  // storage or the database cannot be reached right now
    Busy,         // the queue is full: try again later
    StorageFull,  // no disk space left to keep the document
    Unauthorized, // no valid API key
    Forbidden,    // a request this server does not answer (wrong Host, Origin)
    Internal,     // a bug or a broken installation
};

struct Error {
    ErrorCode code = ErrorCode::Internal;
    QString message;
};

// A value or the Error that prevented it: the one way the engine and the job
// layer report failure.
template <typename T>
class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_state(std::in_place_index<0>, std::move(value))
    {
    }
    Result(Error error)
        : m_state(std::in_place_index<1>, std::move(error))
    {
    }

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<0>(m_state); }
    T &value() & { return std::get<0>(m_state); }
    T &&value() && { return std::get<0>(std::move(m_state)); }
    const T &operator*() const & { return value(); }
    T &operator*() & { return value(); }
    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }

    const Error &error() const { return std::get<1>(m_state); }
    QString errorMessage() const { return ok() ? QString() : error().message; }

private:
    std::variant<T, Error> m_state;
};

template <>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error)
        : m_failed(true)
        , m_error(std::move(error))
    {
    }

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return m_error; }
    QString errorMessage() const { return m_error.message; }

private:
    bool m_failed = false;
    Error m_error;
};

template <typename T>
bool isCancelled(const Result<T> &result)
{
    return !result.ok() && result.error().code == ErrorCode::Cancelled;
}

} // namespace DocRay
