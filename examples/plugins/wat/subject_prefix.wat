;; A subject-only, deterministic filter (colony_flags = 3): accepts subjects that start with "orders.".
;; It logs once at configure time through colony.log and reads colony.now_ms, the two host imports.
(module
  (import "colony" "log" (func $log (param i32 i32 i32)))
  (import "colony" "now_ms" (func $now (result i64)))
  (memory (export "memory") 1 16)
  (data (i32.const 0) "orders.")
  (data (i32.const 16) "prefix filter configured")
  (func (export "colony_abi_version") (result i32) i32.const 0)
  (func (export "colony_input") (result i32) i32.const 1024)
  (func (export "colony_input_capacity") (result i32) i32.const 60000)
  (func (export "colony_flags") (result i32) i32.const 3)
  (func (export "colony_configure") (param $len i32) (result i32)
    (call $log (i32.const 1) (i32.const 16) (i32.const 24))
    (if (i64.lt_s (call $now) (i64.const 0)) (then (return (i32.const -1))))
    (i32.const 0))
  (func (export "colony_filter") (param $sl i32) (param $pl i32) (result i32)
    (local $j i32)
    (if (i32.lt_u (local.get $sl) (i32.const 7)) (then (return (i32.const 0))))
    (block $mismatch
      (loop $inner
        (br_if $mismatch
          (i32.ne (i32.load8_u (i32.add (i32.const 1024) (local.get $j))) (i32.load8_u (local.get $j))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $inner (i32.lt_u (local.get $j) (i32.const 7)))
        (return (i32.const 1))))
    (i32.const 0))
)
