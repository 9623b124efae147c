# syntax=docker/dockerfile:1
# Multi-stage build: a static binary on a distroless base, running as non-root.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY cmd ./cmd
COPY convert ./convert
COPY store ./store
COPY taxii ./taxii
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/stixgate ./cmd/stixgate

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /srv/stixgate
COPY --from=build /out/stixgate /usr/local/bin/stixgate
# The built-in configuration seeds purelogs from this path (relative to WORKDIR).
COPY testdata/threatfox/purelogs.md ./testdata/threatfox/purelogs.md
ENV STIXGATE_ADDR=:8080
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/stixgate", "healthcheck", "--url", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/usr/local/bin/stixgate"]
CMD ["serve"]
