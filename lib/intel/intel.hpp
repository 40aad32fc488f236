// intel: threat-intelligence indicators, loaded from feeds and matched
// against ECS events on the events' own time. The one header to include.
//
// The store (store.hpp). Every indicator is kept once, packed: its canonical
// value (indicator.hpp says what canonical means for domains, addresses,
// CIDR blocks, URLs and hashes) in one byte arena, 16 bytes of bookkeeping
// (first seen, value offset, context id), and a context shared by every
// indicator with the same feed, provider, description, tags, reference,
// confidence and validity window. Two open-addressing hash tables of 8-byte
// slots index it: (type, text) for domains, URLs and hashes, and (address,
// prefix length) for IPv4/IPv6 addresses and CIDR blocks, each behind a
// small bitmap filter (about 8 bits per key) so that a lookup of an absent
// key, nearly every lookup, usually ends there. A million indicators take
// 64 MiB of arrays (69 MiB peak RSS for the whole process) and load in
// about 0.9 s of CPU (tests/bench/intel_bench.cpp). MISP warninglists added
// to the store drop the indicators they cover when the store is finalized.
//
// Matching (matcher.hpp). One pass over an event's top-level members (a
// simdjson DOM record from lib/event; no tree is built) picks source.ip,
// destination.ip, destination.domain, url.domain, url.full, url.original,
// dns.question.name, tls.client.server_name, file.hash.* and process.hash.*.
//   - a domain is looked up as itself and as each parent domain, so an
//     indicator evil.example matches a.b.evil.example (one probe per label);
//   - an address is looked up once per prefix length present in the store
//     (for its family), masked to that length, so exact addresses and CIDR
//     blocks are found together: the cost is bounded by the number of
//     distinct prefix lengths (33 for IPv4), not by the number of blocks.
//     This is "binary search on prefix lengths" without the binary search: a
//     hash probe per length is cheaper than a trie walk at these sizes and
//     needs no pointers;
//   - URLs are normalised (scheme and host lowercased, default port and
//     fragment dropped) and looked up with and without their scheme; a
//     proxy's path-only url.original is rebuilt with url.domain;
//   - hashes are lowercased and looked up by their length's type.
// A hit is kept when the indicator's validity window (STIX valid_from
// inclusive, valid_until exclusive) holds the event's @timestamp.
//
// The API correlate calls:
//
//   intel::store indicators;
//   for (const auto& spec : options.intel) {            // "FILE" or "TYPE:FILE"
//     intel::load_report r = intel::load_feed(indicators, spec);
//     for (const auto& m : r.messages) err << "correlate: " << m << '\n';
//     if (!r.ok()) { err << "correlate: " << r.error << '\n'; return exit_config; }
//     if (verbose) err << "correlate: " << r.summary() << '\n';
//   }
//   indicators.finalize();                              // warninglists, indexes
//
//   intel::matcher match(indicators);                   // one per thread
//   for each record (event::record rec, already parsed with event::parser):
//     for (const intel::hit& h : match.match(rec)) {    // reads @timestamp itself
//       intel::append_alert(writer.buffer(), indicators, h, rec, match.last_time(),
//                           {.retro = options.retro});
//       writer.end_record();
//     }
//
// A warninglist is loaded like a feed (`warninglist:DIR`, or detected from a
// list.json); load every feed and list before finalize().
#pragma once

#include "intel/alert.hpp"
#include "intel/feed.hpp"
#include "intel/indicator.hpp"
#include "intel/matcher.hpp"
#include "intel/store.hpp"
#include "intel/warninglist.hpp"
