#include "httpserver/httperror.h"

#include <QJsonObject>

namespace DocRay {

QHttpServerResponse::StatusCode httpStatus(ErrorCode code)
{
    using Status = QHttpServerResponse::StatusCode;
    switch (code) {
    case ErrorCode::InvalidInput: return Status::BadRequest;
    case ErrorCode::Unsupported: return Status::UnsupportedMediaType;
    case ErrorCode::TooLarge: return Status::PayloadTooLarge;
    case ErrorCode::NotFound: return Status::NotFound;
    case ErrorCode::Conflict: return Status::Conflict;
    case ErrorCode::Cancelled: return Status::Conflict;
    case ErrorCode::Unavailable: return Status::ServiceUnavailable;
    case ErrorCode::Busy: return Status::TooManyRequests;
    case ErrorCode::StorageFull: return Status::InsufficientStorage;
    case ErrorCode::Unauthorized: return Status::Unauthorized;
    case ErrorCode::Forbidden: return Status::Forbidden;
    case ErrorCode::Internal: break;
    }
    return Status::InternalServerError;
}

QHttpServerResponse errorResponse(const Error &error)
{
    return QHttpServerResponse(QJsonObject{{QStringLiteral("detail"), error.message}}, httpStatus(error.code));
}

} // namespace DocRay
