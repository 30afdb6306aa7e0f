/* SPDX-License-Identifier: MIT */
/*
 * Context switching. The assembly saves exactly what the ABI makes the callee preserve:
 *   x86-64 (System V): rbx, rbp, r12-r15, MXCSR and the x87 control word;
 *   aarch64 (AAPCS64): x19-x29, x30 (lr), d8-d15.
 * The new context's first "return" lands in a small entry stub that calls fn(arg) with the
 * stack aligned as the ABI requires.
 */
#include <stdint.h>
#include <string.h>

#include "tide/common.h"
#include "tide/context.h"

#if defined(TIDE_CONTEXT_ASM) && defined(__x86_64__)

__asm__(".text\n"
        ".globl tide__context_swap\n"
        ".type tide__context_swap,@function\n"
        ".hidden tide__context_swap\n"
        "tide__context_swap:\n" /* rdi = &from->sp, rsi = to->sp */
        "    pushq %rbp\n"
        "    pushq %rbx\n"
        "    pushq %r12\n"
        "    pushq %r13\n"
        "    pushq %r14\n"
        "    pushq %r15\n"
        "    subq $8, %rsp\n"
        "    stmxcsr (%rsp)\n"
        "    fnstcw 4(%rsp)\n"
        "    movq %rsp, (%rdi)\n"
        "    movq %rsi, %rsp\n"
        "    ldmxcsr (%rsp)\n"
        "    fldcw 4(%rsp)\n"
        "    addq $8, %rsp\n"
        "    popq %r15\n"
        "    popq %r14\n"
        "    popq %r13\n"
        "    popq %r12\n"
        "    popq %rbx\n"
        "    popq %rbp\n"
        "    ret\n"
        ".size tide__context_swap,.-tide__context_swap\n"
        ".globl tide__context_entry\n"
        ".type tide__context_entry,@function\n"
        ".hidden tide__context_entry\n"
        "tide__context_entry:\n" /* r12 = fn, r13 = arg; rsp is 16-byte aligned here */
        "    movq %r13, %rdi\n"
        "    callq *%r12\n"
        "    ud2\n" /* fn must not return */
        ".size tide__context_entry,.-tide__context_entry\n");

void tide__context_swap(void **from_sp, void *to_sp);
void tide__context_entry(void);

void tide_context_init(tide_context_t *ctx, void *stack, size_t size, tide_context_fn fn,
                       void *arg)
{
    uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
    /* Frame popped by the first switch: control words, r15..rbp, return address. After the
     * ret, rsp = top - 16: 16-byte aligned for the call in the entry stub. */
    uint64_t *sp = (uint64_t *)(top - 16 - 64);
    uint32_t mxcsr = 0x1F80;  /* all exceptions masked, round to nearest */
    uint16_t fpucw = 0x037F;  /* the x87 default */
    memset(sp, 0, 64);
    memcpy(&sp[0], &mxcsr, 4);
    memcpy((char *)&sp[0] + 4, &fpucw, 2);
    sp[1] = 0;                  /* r15 */
    sp[2] = 0;                  /* r14 */
    sp[3] = (uint64_t)(uintptr_t)arg; /* r13 */
    sp[4] = (uint64_t)(uintptr_t)fn;  /* r12 */
    sp[5] = 0;                  /* rbx */
    sp[6] = 0;                  /* rbp */
    sp[7] = (uint64_t)(uintptr_t)tide__context_entry;
    ctx->sp = sp;
}

void tide_context_switch(tide_context_t *from, tide_context_t *to)
{
    tide__context_swap(&from->sp, to->sp);
}

const char *tide_context_impl(void)
{
    return "asm x86-64";
}

#elif defined(TIDE_CONTEXT_ASM) && defined(__aarch64__)

__asm__(".text\n"
        ".globl tide__context_swap\n"
        ".type tide__context_swap,%function\n"
        ".hidden tide__context_swap\n"
        "tide__context_swap:\n" /* x0 = &from->sp, x1 = to->sp */
        "    sub sp, sp, #160\n"
        "    stp x19, x20, [sp, #0]\n"
        "    stp x21, x22, [sp, #16]\n"
        "    stp x23, x24, [sp, #32]\n"
        "    stp x25, x26, [sp, #48]\n"
        "    stp x27, x28, [sp, #64]\n"
        "    stp x29, x30, [sp, #80]\n"
        "    stp d8, d9, [sp, #96]\n"
        "    stp d10, d11, [sp, #112]\n"
        "    stp d12, d13, [sp, #128]\n"
        "    stp d14, d15, [sp, #144]\n"
        "    mov x9, sp\n"
        "    str x9, [x0]\n"
        "    mov sp, x1\n"
        "    ldp x19, x20, [sp, #0]\n"
        "    ldp x21, x22, [sp, #16]\n"
        "    ldp x23, x24, [sp, #32]\n"
        "    ldp x25, x26, [sp, #48]\n"
        "    ldp x27, x28, [sp, #64]\n"
        "    ldp x29, x30, [sp, #80]\n"
        "    ldp d8, d9, [sp, #96]\n"
        "    ldp d10, d11, [sp, #112]\n"
        "    ldp d12, d13, [sp, #128]\n"
        "    ldp d14, d15, [sp, #144]\n"
        "    add sp, sp, #160\n"
        "    ret\n"
        ".size tide__context_swap,.-tide__context_swap\n"
        ".globl tide__context_entry\n"
        ".type tide__context_entry,%function\n"
        ".hidden tide__context_entry\n"
        "tide__context_entry:\n" /* x19 = fn, x20 = arg */
        "    mov x0, x20\n"
        "    blr x19\n"
        "    brk #0\n"
        ".size tide__context_entry,.-tide__context_entry\n");

void tide__context_swap(void **from_sp, void *to_sp);
void tide__context_entry(void);

void tide_context_init(tide_context_t *ctx, void *stack, size_t size, tide_context_fn fn,
                       void *arg)
{
    uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
    uint64_t *sp = (uint64_t *)(top - 160);
    memset(sp, 0, 160);
    sp[0] = (uint64_t)(uintptr_t)fn;  /* x19 */
    sp[1] = (uint64_t)(uintptr_t)arg; /* x20 */
    sp[10] = 0;                       /* x29: end of the frame chain */
    sp[11] = (uint64_t)(uintptr_t)tide__context_entry; /* x30 */
    ctx->sp = sp;
}

void tide_context_switch(tide_context_t *from, tide_context_t *to)
{
    tide__context_swap(&from->sp, to->sp);
}

const char *tide_context_impl(void)
{
    return "asm aarch64";
}

#endif

/* ---- ucontext: the portable path (glibc's swapcontext also switches the signal mask,
 * one rt_sigprocmask system call per switch) ---- */

/* makecontext passes int arguments only: split the pointers in two 32-bit halves. */
static void uc_entry(unsigned fn_hi, unsigned fn_lo, unsigned arg_hi, unsigned arg_lo)
{
    tide_context_fn fn =
        (tide_context_fn)(uintptr_t)(((uint64_t)fn_hi << 32) | (uint64_t)fn_lo);
    void *arg = (void *)(uintptr_t)(((uint64_t)arg_hi << 32) | (uint64_t)arg_lo);
    fn(arg);
    tide_panic("a context's function returned");
}

void tide_ucontext_init(tide_ucontext_t *ctx, void *stack, size_t size, tide_context_fn fn,
                        void *arg)
{
    uint64_t f = (uint64_t)(uintptr_t)fn, a = (uint64_t)(uintptr_t)arg;
    getcontext(&ctx->uc);
    ctx->uc.uc_stack.ss_sp = stack;
    ctx->uc.uc_stack.ss_size = size;
    ctx->uc.uc_link = NULL;
    makecontext(&ctx->uc, (void (*)(void))uc_entry, 4, (unsigned)(f >> 32), (unsigned)f,
                (unsigned)(a >> 32), (unsigned)a);
}

void tide_ucontext_switch(tide_ucontext_t *from, tide_ucontext_t *to)
{
    swapcontext(&from->uc, &to->uc);
}

#ifndef TIDE_CONTEXT_ASM
void tide_context_init(tide_context_t *ctx, void *stack, size_t size, tide_context_fn fn,
                       void *arg)
{
    tide_ucontext_init((tide_ucontext_t *)ctx, stack, size, fn, arg);
}

void tide_context_switch(tide_context_t *from, tide_context_t *to)
{
    tide_ucontext_switch((tide_ucontext_t *)from, (tide_ucontext_t *)to);
}

const char *tide_context_impl(void)
{
    return "ucontext";
}
#endif
