;; A filter that grows its memory by the page count in the payload's first 4 bytes (little-endian):
;; accepts when memory.grow succeeded, rejects when it returned -1. Declares no maximum of its own.
(module
  (memory (export "memory") 1)
  (func (export "colony_abi_version") (result i32) i32.const 0)
  (func (export "colony_input") (result i32) i32.const 1024)
  (func (export "colony_input_capacity") (result i32) i32.const 60000)
  (func (export "colony_configure") (param i32) (result i32) i32.const 0)
  (func (export "colony_filter") (param $sl i32) (param $pl i32) (result i32)
    (i32.ne (memory.grow (i32.load (i32.add (i32.const 1024) (local.get $sl)))) (i32.const -1)))
)
