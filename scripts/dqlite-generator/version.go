package main

// #cgo LDFLAGS: -ldqlite
// #include <dqlite.h>
import "C"

func dqliteVersion() int { return int(C.dqlite_version_number()) }
