#pragma once

#include "engine/core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>

#include <functional>
#include <optional>

namespace DocRay {

// Who may use the API. Checked on each request's head, before any of its
// body is read.
struct AdmissionPolicy {
    QByteArray apiKey;          // when set, required on every route that serves data
    bool localClientsOnly = false; // the desktop's API: programs on this machine, no web pages
};

struct AdmissionRequest {
    QByteArray path; // without the query
    std::function<QByteArray(QByteArrayView lowerName)> header;
    QHostAddress peer;
};

// The refusal for a request the policy does not admit, or nothing:
// - localClientsOnly: Host must name loopback (DNS rebinding) and a browser
//   request must come from a page on this machine (Origin, Sec-Fetch-Site);
// - with a key: the key, except on health and documentation routes;
// - without a key: the job list only to clients on this machine.
std::optional<Error> admissionError(const AdmissionPolicy &policy, const AdmissionRequest &request);

} // namespace DocRay
