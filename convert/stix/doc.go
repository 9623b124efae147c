// Package stix builds and inspects STIX 2.1 objects for stixgate.
//
// Construction goes through github.com/TcM1911/stix2, but every value that
// the library would take from the wall clock or a random source (ids,
// created, modified) is supplied by the caller, so the same input always
// yields byte-identical JSON. Identifiers are UUIDv5: SDOs and SROs use the
// fixed stixgate Namespace() over a caller-chosen stable key; the predefined
// TLP marking-definitions keep their STIX 2.1 §7.2.1.4 ids.
//
// Object JSON has its keys sorted (the stix2 encoder marshals a map) and is
// compact; encoding/json escapes <, > and & as \u003c, \u003e and \u0026,
// which is equivalent JSON.
//
// Inspect and Restamp serve the TAXII POST path: Inspect checks the STIX 2.1
// common properties and the required properties of each core type and
// returns the index fields the store needs; Restamp writes a new version.
package stix
