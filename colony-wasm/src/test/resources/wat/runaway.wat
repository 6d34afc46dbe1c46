;; A filter that never returns when the payload's first byte is 'L' (a runaway loop); accepts otherwise.
(module
  (memory (export "memory") 1 16)
  (func (export "colony_abi_version") (result i32) i32.const 0)
  (func (export "colony_input") (result i32) i32.const 1024)
  (func (export "colony_input_capacity") (result i32) i32.const 60000)
  (func (export "colony_configure") (param i32) (result i32) i32.const 0)
  (func (export "colony_filter") (param $sl i32) (param $pl i32) (result i32)
    (if (i32.eq (i32.load8_u (i32.add (i32.const 1024) (local.get $sl))) (i32.const 76))
      (then (loop $forever (br $forever))))
    (i32.const 1))
)
