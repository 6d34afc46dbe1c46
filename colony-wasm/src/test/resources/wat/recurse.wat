;; A filter that recurses without end: the call traps (stack exhausted).
(module
  (memory (export "memory") 1 16)
  (func (export "colony_abi_version") (result i32) i32.const 0)
  (func (export "colony_input") (result i32) i32.const 1024)
  (func (export "colony_input_capacity") (result i32) i32.const 60000)
  (func (export "colony_configure") (param i32) (result i32) i32.const 0)
  (func $down (param $n i32) (result i32)
    (call $down (i32.add (local.get $n) (i32.const 1))))
  (func (export "colony_filter") (param $sl i32) (param $pl i32) (result i32)
    (call $down (i32.const 0)))
)
