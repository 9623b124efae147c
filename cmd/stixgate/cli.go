package main

// CLI is the command line: one binary, one subcommand per job.
type CLI struct {
	Serve        serveCmd        `cmd:"" help:"Run the TAXII 2.1 gateway (embedded Redis and the purelogs collection when unconfigured)."`
	Import       importCmd       `cmd:"" help:"Convert a ThreatFox feed to a STIX 2.1 bundle on stdout, or load it into a collection."`
	KQL          kqlCmd          `cmd:"" name:"kql" help:"Render STIX patterns as Microsoft Sentinel KQL."`
	HashPassword hashPasswordCmd `cmd:"" name:"hash-password" help:"Read a password (or API key) on stdin and print the hash the config file wants."`
	Healthcheck  healthcheckCmd  `cmd:"" help:"GET a health URL and exit 0 if it answers 200 (for container healthchecks)."`
	Bench        benchCmd        `cmd:"" help:"Load harness: fill a collection through POST, then measure page GETs, Sentinel-style polling under POST load, and the Redis ceiling."`
}
