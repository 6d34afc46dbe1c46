;; A module whose initial memory is 64 pages (4 MiB): over the default filter limit of 16 pages.
(module
  (memory (export "memory") 64)
  (func (export "colony_abi_version") (result i32) i32.const 0)
  (func (export "colony_input") (result i32) i32.const 1024)
  (func (export "colony_input_capacity") (result i32) i32.const 60000)
  (func (export "colony_configure") (param i32) (result i32) i32.const 0)
  (func (export "colony_filter") (param i32 i32) (result i32) i32.const 1)
)
