"""The checker as a service: routing items to packs, batches of JSON lines, pack example tests,
labelled-case evaluation and the HTTP API. Builds on the pure `kaitiaki.checker`."""
