"""Pure detectors the checks build on: lexicon matching, validated identifiers, personal
information and link classification. See docs/detectors.md."""
