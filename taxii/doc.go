// Package taxii serves TAXII 2.1 (OASIS Standard, 10 June 2021) over echo v4, on top of the store.
//
// It is built for the Microsoft Sentinel TAXII connector and the OASIS taxii2-client; see
// docs/taxii21.md for the rules and the interop bugs of other servers this package avoids. cmd builds
// it with NewServer(cfg, store, opts) and mounts Server.Handler; nothing outside this package imports
// echo.
//
// # Routes
//
// Discovery is at /taxii2/. Each API root is served at /{root}/ and also at /taxii2/{root}/. The
// collection endpoints (§5) and status (§4.3) are also reachable without the root, at /collections/…
// and /status/…, on the default API root (the one marked default, or the only one). A collection is
// addressed by its id or its alias, with the same body. Trailing slashes are optional everywhere:
// taxii2-client polls status/{id} without one. Every GET route also answers HEAD, without a body.
//
// # Decisions
//
//   - Accept (§1.6.8.1): application/taxii+json with version=2.1 or no version is acceptable; another
//     version, q=0 or a non-TAXII type gets 406. Under accept_policy "lenient" (the default) a missing
//     Accept, "*/*" and "application/*" also count as TAXII 2.1, because real clients send
//     "application/json, */*" (OpenCTI#4246) and curl sends "*/*". "strict" follows the letter of the spec.
//   - POST Content-Type must be application/taxii+json with version 2.1 or no version (spaces and other
//     parameters ignored), else 415. Bodies are limited to max_content_length by Content-Length and by
//     the bytes actually read, else 413. Malformed JSON is 400; JSON that is not an envelope (a bare
//     STIX object, a bundle, an array, no or empty "objects") is 422.
//   - POST is processed synchronously: 202 with a "complete" status whose four counts are always
//     present. Per-object problems (STIX validation, a "stix" pattern that does not parse, a different
//     object already stored under the same id and version) are failures; an exact duplicate (same id,
//     version and compacted bytes) is a success that writes nothing. The status is kept by the store.
//   - DELETE without match[version] removes every version of the object (as OpenTAXII does), because a
//     client deleting "the object" means all of it; match[version] narrows it as on GET. A DELETE that
//     matches nothing is 404. DELETE needs the write right.
//   - Query parameters: a match[...] field the endpoint does not list is 400, because ignoring a filter
//     silently widens the result (or a deletion). Any other unknown parameter (for example Range, gone
//     in 2.1) is ignored. A known parameter given twice is 400.
//   - limit: absent → default_page_size (1000); ≤ 0 or not an integer → 400; above max_page_size (5000)
//     → clamped. The response never holds more than the effective limit.
//   - added_after and match[version] timestamps are parsed leniently: any fraction length or none,
//     "Z" or a numeric offset (also with the "+" unescaped, which arrives as a space), lower-case t/z.
//   - Paging: "more" is present on every non-empty page and "next" whenever more is true. The date
//     headers carry the first and last date_added of the page, in microseconds; an empty result is
//     200 {} without date headers. next is the store's stateless cursor; a bad one is 400.
//   - Get an Object with an id that has no stored version is 404; an existing object filtered to
//     nothing is 200 {}.
//
// # Authentication and access
//
// Credentials: HTTP Basic with a bcrypt password; an API key as the Basic password or as the Basic
// user name (Sentinel speaks Basic only); Authorization: Bearer or Token with an API key. Basic with
// both fields blank counts as no credentials (Sentinel's user name and password are optional). Keys are
// stored as SHA-256 and compared in constant time. A successful bcrypt check is cached for
// auth_cache_ttl under the SHA-256 of user and password (never the secret itself) in a bounded map;
// failures and API keys are never cached. Unknown users are checked against a configured hash so that the
// response time does not reveal which users exist. Invalid credentials are 401 with
// WWW-Authenticate: Basic realm="stixgate"; credentials are never logged.
//
// Access is per collection. A caller sees a collection when it may read or write it (anonymous
// callers: when anonymous_read is set); an unseen collection is 404 (401 for anonymous callers, who
// should authenticate), a seen one without the needed right is 403. Discovery, API roots and
// collection lists need credentials unless some collection is anonymously readable; a status resource
// needs credentials and is readable only by the user who POSTed (others get 404, as for an unknown id). can_read and can_write describe the caller.
//
// # Errors
//
// One error handler with one mapping table (errorStatus) writes every error, including those of the
// router and the middleware, as a §3.6.1 error resource with the TAXII media type and http_status as a
// string: store.ErrNotFound 404, store.ErrBadCursor 400, store.ErrUnavailable 503 with Retry-After,
// pattern and STIX validation errors 400, *echo.HTTPError its own code, anything else 500 with a
// generic description (details are logged).
package taxii
