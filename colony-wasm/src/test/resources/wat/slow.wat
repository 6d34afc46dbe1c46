;; A filter that counts down from the u32 in the payload's first 4 bytes (little-endian) before accepting:
;; a call that takes as long as the test needs.
(module
  (memory (export "memory") 1 16)
  (func (export "colony_abi_version") (result i32) i32.const 0)
  (func (export "colony_input") (result i32) i32.const 1024)
  (func (export "colony_input_capacity") (result i32) i32.const 60000)
  (func (export "colony_configure") (param i32) (result i32) i32.const 0)
  (func (export "colony_filter") (param $sl i32) (param $pl i32) (result i32)
    (local $n i32)
    (local.set $n (i32.load (i32.add (i32.const 1024) (local.get $sl))))
    (block $done
      (loop $down
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $down)))
    (i32.const 1))
)
