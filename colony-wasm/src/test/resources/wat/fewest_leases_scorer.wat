;; A scorer by load: each candidate's score is minus its lease count, so the least loaded agent wins.
;; Input: the task (task_len bytes), then n candidates, each a u32 length (little-endian) and its JSON, which
;; starts {"leases":<digits>, (10 bytes, then the digits). Output: n f64 scores written at the input.
(module
  (memory (export "memory") 1 16)
  (func (export "colony_abi_version") (result i32) i32.const 0)
  (func (export "colony_input") (result i32) i32.const 1024)
  (func (export "colony_input_capacity") (result i32) i32.const 60000)
  (func (export "colony_configure") (param i32) (result i32) i32.const 0)
  (func (export "colony_score") (param $tl i32) (param $n i32) (result i32)
    (local $p i32) (local $k i32) (local $len i32) (local $q i32) (local $v i32) (local $c i32)
    ;; the lease counts go to a scratch area at 0 (i32 each), since the scores overwrite the input
    (if (i32.gt_u (local.get $n) (i32.const 256)) (then (return (i32.const -1))))
    (local.set $p (i32.add (i32.const 1024) (local.get $tl)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $len (i32.load (local.get $p)))
        (local.set $q (i32.add (local.get $p) (i32.const 14)))
        (local.set $v (i32.const 0))
        (block $end
          (loop $digit
            (local.set $c (i32.sub (i32.load8_u (local.get $q)) (i32.const 48)))
            (br_if $end (i32.gt_u (local.get $c) (i32.const 9)))
            (local.set $v (i32.add (i32.mul (local.get $v) (i32.const 10)) (local.get $c)))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $digit)))
        (i32.store (i32.shl (local.get $k) (i32.const 2)) (local.get $v))
        (local.set $p (i32.add (local.get $p) (i32.add (i32.const 4) (local.get $len))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (local.set $k (i32.const 0))
    (block $done2
      (loop $write
        (br_if $done2 (i32.ge_u (local.get $k) (local.get $n)))
        (f64.store (i32.add (i32.const 1024) (i32.shl (local.get $k) (i32.const 3)))
          (f64.neg (f64.convert_i32_u (i32.load (i32.shl (local.get $k) (i32.const 2))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $write)))
    (i32.const 0))
)
