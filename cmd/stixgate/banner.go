package main

import (
	"fmt"
	"io"
	"strings"
)

// printBanner tells the operator where the gateway is and how to log in:
// the first thing a SOC engineer needs to wire Sentinel's TAXII connector.
func (m *Main) printBanner(w io.Writer, login *loginInfo, seeded []seededCollection) {
	base := m.URL()
	if m.Config.TAXII.PublicBaseURL != "" {
		base = m.Config.TAXII.PublicBaseURL
	}
	var b strings.Builder
	fmt.Fprintf(&b, "stixgate listening on %s\n", m.URL())
	fmt.Fprintf(&b, "  redis:      %s\n", m.redis.Desc)
	fmt.Fprintf(&b, "  discovery:  %s/taxii2/\n", base)
	for _, root := range m.Config.TAXII.APIRoots {
		fmt.Fprintf(&b, "  api root:   %s/%s/   (Sentinel: \"API root URL\")\n", base, root.Path)
		for _, c := range root.Collections {
			name := c.ID
			if c.Alias != "" {
				name = c.Alias
			}
			fmt.Fprintf(&b, "  collection: %s  id %s\n              %s/%s/collections/%s/objects/\n", name, c.ID, base, root.Path, name)
		}
	}
	for _, s := range seeded {
		fmt.Fprintf(&b, "  seeded:     %s from %s: %s\n", s.ID, s.File, s.Report)
	}
	if login != nil {
		// A generated password is shown once, here; one the operator chose
		// is never echoed.
		pass, how := "$STIXGATE_PASSWORD", "from STIXGATE_PASSWORD"
		if login.Generated {
			pass, how = login.Password, "generated for this run; set STIXGATE_PASSWORD to choose one"
		}
		fmt.Fprintf(&b, "  login:      user %s, password %s (%s)\n", login.User, pass, how)
		if name := firstCollection(m); name != "" {
			fmt.Fprintf(&b, "  try:        curl -u \"%s:%s\" -H 'Accept: application/taxii+json;version=2.1' %s/collections/%s/objects/\n",
				login.User, pass, base, name)
		}
	}
	fmt.Fprint(w, b.String())
}

func firstCollection(m *Main) string {
	for _, r := range m.Config.TAXII.APIRoots {
		if len(r.Collections) == 0 {
			continue
		}
		c := r.Collections[0]
		if c.Alias != "" {
			return c.Alias
		}
		return c.ID
	}
	return ""
}
