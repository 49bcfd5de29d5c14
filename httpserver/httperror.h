#pragma once

#include "engine/core/result.h"

#include <QHttpServerResponse>

namespace DocRay {

// The one place an error becomes an HTTP status: every error answer of the
// API is {"detail": message} with the status its code maps to.
QHttpServerResponse::StatusCode httpStatus(ErrorCode code);
QHttpServerResponse errorResponse(const Error &error);

inline QHttpServerResponse errorResponse(ErrorCode code, const QString &detail)
{
    return errorResponse(Error{code, detail});
}

} // namespace DocRay
