/* SPDX-License-Identifier: MIT */
/*
 * Tide\Coroutine and the Zend side of the scheduler.
 *
 * Each coroutine owns a Zend VM stack (8 KiB to start, grown by the engine as needed) and,
 * while it is switched out, the executor globals that PHP's own Fibers save (see
 * Zend/zend_fibers.c: zend_fiber_capture_vm_state), plus the fiber context PHP Fibers
 * started inside it return to, so Fibers and coroutines can be mixed.
 *
 * Errors: an uncaught exception ends the coroutine and stops the scheduler; the main
 * context rethrows it from Tide\run() (or Event::wait(), or go() at top level), so the
 * script ends as PHP would. exit() in a coroutine ends the script the same way. A fatal
 * error is caught at the coroutine's base and re-raised in the main context.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "php.h"
#include "ext/spl/spl_array.h"
#include "php_output.h"
#include "php_tide.h"
#include "php_tide_coro.h"
#include "tide/log.h"
#include "tide/stack.h"
#include "tide_coroutine_arginfo.h"
#include "zend_builtin_functions.h"
#include "zend_exceptions.h"
#include "zend_fibers.h"
#include "zend_interfaces.h"

/* A coroutine's first VM stack page lives in its stack slot, right after its state (see
 * tide_sched_hooks_t.state_size): creating a coroutine allocates nothing, and 100,000
 * sleeping coroutines do not count against memory_limit (their C stacks do not either).
 * Pages the engine adds when a coroutine calls deeper are ordinary emalloc'd ones. */
#define VM_STACK_SIZE 8192
#define STATE_SIZE ((sizeof(php_tide_coro_t) + 15) & ~(size_t)15)

static zend_class_entry *php_tide_coroutine_ce;

/* The base frame of every coroutine's VM stack (as Fibers have one). */
static zend_function coro_base_function = {ZEND_INTERNAL_FUNCTION};
/* Marks the fiber contexts that belong to coroutines. */
static int coro_fiber_kind;

static zend_class_entry *php_tide_context_ce;

static void set_active_buffer(void)
{
    php_output_handler **top = zend_stack_top(&OG(handlers));
    OG(active) = top ? *top : NULL;
}

static void set_buffers_aside(php_tide_coro_t *pc)
{
    uint32_t n = (uint32_t)(zend_stack_count(&OG(handlers)) - pc->og_base);
    if (n > pc->og_saved_cap) {
        pc->og_saved = safe_erealloc(pc->og_saved, n, sizeof(*pc->og_saved), 0);
        pc->og_saved_cap = n;
    }
    for (uint32_t i = n; i-- > 0;) {
        pc->og_saved[i] = *(php_output_handler **)zend_stack_top(&OG(handlers));
        zend_stack_del_top(&OG(handlers));
    }
    pc->og_saved_n = n;
    set_active_buffer();
}

static void put_buffers_back(php_tide_coro_t *pc)
{
    for (uint32_t i = 0; i < pc->og_saved_n; i++)
        zend_stack_push(&OG(handlers), &pc->og_saved[i]);
    pc->og_saved_n = 0;
    set_active_buffer();
}

/* Output buffers a coroutine opened are its own: the next coroutine must not write into
 * them. Buffers opened outside any coroutine stay below for everyone. */
static zend_never_inline void switch_buffers(php_tide_coro_t *f, bool from_main,
                                             php_tide_coro_t *t, bool to_main)
{
    if (!from_main && OG(handlers).top > f->og_base)
        set_buffers_aside(f);
    if (!to_main) {
        t->og_base = OG(handlers).top;
        if (t->og_saved_n)
            put_buffers_back(t);
    }
}

/* On every switch: a leaf function unless a coroutine has output buffers open. */
static void on_switch(tide_coro_t *from, tide_coro_t *to, void *udata)
{
    /* The main pseudo-coroutine has a state area too (zeroed), one per scheduler. */
    php_tide_coro_t *f = tide_coro_udata(from), *t = tide_coro_udata(to);
    TIDE_UNUSED(udata);

    f->vm_stack = EG(vm_stack);
    f->vm_stack_top = EG(vm_stack_top);
    f->vm_stack_end = EG(vm_stack_end);
    f->vm_stack_page_size = EG(vm_stack_page_size);
    f->execute_data = EG(current_execute_data);
    f->error_reporting = EG(error_reporting);
    f->jit_trace_num = EG(jit_trace_num);
    f->bailout = EG(bailout);
    f->active_fiber = EG(active_fiber);
    f->fiber_context = EG(current_fiber_context);
#ifdef TIDE_STACK_LIMIT
    f->stack_base = EG(stack_base);
    f->stack_limit = EG(stack_limit);
#endif

    EG(vm_stack) = t->vm_stack;
    EG(vm_stack_top) = t->vm_stack_top;
    EG(vm_stack_end) = t->vm_stack_end;
    EG(vm_stack_page_size) = t->vm_stack_page_size;
    EG(current_execute_data) = t->execute_data;
    EG(error_reporting) = t->error_reporting;
    EG(jit_trace_num) = t->jit_trace_num;
    EG(bailout) = t->bailout;
    EG(active_fiber) = t->active_fiber;
    EG(current_fiber_context) = t->fiber_context;
#ifdef TIDE_STACK_LIMIT
    EG(stack_base) = t->stack_base;
    EG(stack_limit) = t->stack_limit;
#endif

    /* Two loads and a store when no coroutine has a buffer open. */
    bool from_main = tide_coro_is_main(from), to_main = tide_coro_is_main(to);
    if (UNEXPECTED((!from_main && OG(handlers).top > f->og_base) ||
                   (!to_main && t->og_saved_n))) {
        switch_buffers(f, from_main, t, to_main);
        return;
    }
    if (!to_main)
        t->og_base = OG(handlers).top;
}

/* Releases *zv as UNDEF first: a destructor it runs may look at it again (getContext()). */
static void clear_zval(zval *zv)
{
    zval old;
    ZVAL_COPY_VALUE(&old, zv);
    ZVAL_UNDEF(zv);
    zval_ptr_dtor(&old);
}

/* What the coroutine was started with and what it made. Called while it still runs, so
 * that destructors run (and throw) in it; again by free_state for one that was dropped. */
static void free_values(php_tide_coro_t *pc)
{
    clear_zval(&pc->callable);
    zval *argv = pc->argv;
    uint32_t argc = pc->argc;
    pc->argv = NULL;
    pc->argc = 0;
    for (uint32_t i = 0; i < argc; i++)
        zval_ptr_dtor(&argv[i]);
    if (argv)
        efree(argv);
    clear_zval(&pc->context);
    clear_zval(&pc->defers);
}

static void free_state(php_tide_coro_t *pc)
{
    free_values(pc);
    /* A dropped coroutine's own output buffers (their contents are lost with it). */
    for (uint32_t i = 0; i < pc->og_saved_n; i++)
        php_output_handler_free(&pc->og_saved[i]);
    if (pc->og_saved)
        efree(pc->og_saved);
    /* The VM stack pages the engine added (deeper calls); the first is in the slot. */
    zend_vm_stack page = pc->vm_stack;
    while (page && page->prev) {
        zend_vm_stack prev = page->prev;
        efree(page);
        page = prev;
    }
}

static void on_coro_exit(tide_coro_t *co, void *udata)
{
    TIDE_UNUSED(udata);
    php_tide_coro_t *pc = tide_coro_udata(co);
    void (*done)(void *) = pc->done;
    void *arg = pc->done_arg;
    free_state(pc);
    if (done)
        done(arg);
    php_tide_coro_wake_joiners();
}

#ifdef TIDE_STACK_LIMIT
/*
 * PHP >= 8.3 throws "Maximum call stack size of N bytes ... reached. Infinite recursion?"
 * before a call goes below EG(stack_limit), and Fibers switch EG(stack_base) and
 * EG(stack_limit) with their stacks (zend_fibers.c). A coroutine's limit is, as a Fiber's
 * (zend_fiber_stack_limit), the bottom of its own C stack plus zend.reserved_stack_size,
 * the room kept for what runs without a check (alloca, PCRE's frames). Beyond a Fiber:
 * zend.max_allowed_stack_size = -1 turns the check off here too, a smaller positive value
 * shortens the stack it checks, and a stack smaller than twice the reserve (stack_size
 * 16 KiB, or a sanitizer build's tenfold reserve) keeps half of itself as the reserve
 * instead of failing every call; the guard area below still catches what gets past.
 */
static void set_stack_limit(php_tide_coro_t *pc, const tide_stack_t *st)
{
    char *base = st->lo + st->size;
    pc->stack_base = base;
    if (EG(max_allowed_stack_size) == ZEND_MAX_ALLOWED_STACK_SIZE_UNCHECKED) {
        pc->stack_limit = NULL;
        return;
    }
    size_t size = st->size;
    if (EG(max_allowed_stack_size) > 0 && (size_t)EG(max_allowed_stack_size) < size)
        size = (size_t)EG(max_allowed_stack_size);
    size_t reserve = EG(reserved_stack_size);
    if (reserve > size / 2)
        reserve = size / 2;
    pc->stack_limit = base - size + reserve;
}
#endif

/* What php_tide_coro_spawn() hands to on_coro_start (on the creator's stack). */
typedef struct spawn_request {
    zval *callable;
    zend_fcall_info_cache *fcc;
    zval *argv;
    uint32_t argc;
    zend_long error_reporting;
    /* Called once the coroutine is gone; on_coro_start clears it once the coroutine owns
     * it, so a request left holding it never started. */
    void (*done)(void *arg);
    void *done_arg;
    zval *result;
} spawn_request_t;

/* Sets up a new coroutine's state in its slot, before it first runs. */
static void on_coro_start(tide_coro_t *co, void *arg, void *udata)
{
    php_tide_coro_t *pc = tide_coro_udata(co);
    spawn_request_t *req = arg;
    TIDE_UNUSED(udata);

    memset(pc, 0, sizeof(*pc));
    pc->done = req->done;
    pc->done_arg = req->done_arg;
    pc->result = req->result;
    req->done = NULL;
    ZVAL_COPY(&pc->callable, req->callable);
    pc->fcc = *req->fcc;
    if (pc->fcc.function_handler &&
        (pc->fcc.function_handler->common.fn_flags & ZEND_ACC_CALL_VIA_TRAMPOLINE))
        pc->fcc.function_handler = NULL; /* resolved when called: a trampoline is per call */
    if (req->argc) {
        pc->argv = safe_emalloc(req->argc, sizeof(zval), 0);
        for (uint32_t i = 0; i < req->argc; i++)
            ZVAL_COPY(&pc->argv[i], &req->argv[i]);
    }
    pc->argc = req->argc;
    ZVAL_UNDEF(&pc->context);
    ZVAL_UNDEF(&pc->defers);
    pc->start_ns = TIDE_G(reactor) ? tide_reactor_now(TIDE_G(reactor)) : tide_time_ns();

    /* Its VM stack, with a base frame that ends backtraces at the coroutine's start. */
    zend_vm_stack stack = (zend_vm_stack)((char *)pc + STATE_SIZE);
    stack->top = ZEND_VM_STACK_ELEMENTS(stack);
    stack->end = (zval *)((char *)stack + VM_STACK_SIZE);
    stack->prev = NULL;
    pc->vm_stack = stack;
    pc->vm_stack_top = stack->top + ZEND_CALL_FRAME_SLOT;
    pc->vm_stack_end = stack->end;
    pc->vm_stack_page_size = VM_STACK_SIZE;
    pc->execute_data = (zend_execute_data *)stack->top;
    memset(pc->execute_data, 0, sizeof(zend_execute_data));
    pc->execute_data->func = &coro_base_function;
    pc->error_reporting = (int)req->error_reporting;
    pc->base_fiber.kind = &coro_fiber_kind;
    pc->base_fiber.status = ZEND_FIBER_STATUS_RUNNING;
    pc->fiber_context = &pc->base_fiber;
#ifdef TIDE_STACK_LIMIT
    set_stack_limit(pc, tide_coro_stack(co));
#endif
}

/* ---- the coroutine's life ---- */

/* The running coroutine must end because one it created or resumed failed. After an
 * uncaught exception it unwinds as the scheduler's teardown unwinds the others (finally
 * blocks and defers run); after exit() or a fatal error none run, as in PHP. */
static void unwind_for_failure(void)
{
    if (EG(exception))
        return;
    if (TIDE_G(coro_exception) && !TIDE_G(coro_exit) && !TIDE_G(coro_bailout))
        zend_throw_graceful_exit();
    else
        zend_throw_unwind_exit();
}

static void run_defers(php_tide_coro_t *pc)
{
    /* Last in, first out throughout: each defer is taken off the end of the list before it
     * runs, so one that a running defer registers is the next to run. */
    while (Z_TYPE(pc->defers) == IS_ARRAY && zend_hash_num_elements(Z_ARRVAL(pc->defers))) {
        HashTable *list = Z_ARRVAL(pc->defers);
        zend_ulong last = zend_hash_num_elements(list) - 1; /* keys stay 0..n-1 */
        zval fn, retval;
        ZVAL_COPY(&fn, zend_hash_index_find(list, last));
        zend_hash_index_del(list, last);
        list->nNextFreeElement = (zend_long)last; /* the next defer() takes this key */

        zend_object *earlier = EG(exception);
        EG(exception) = NULL; /* a defer runs even when the coroutine threw */
        call_user_function(NULL, NULL, &fn, &retval, 0, NULL);
        zval_ptr_dtor(&retval);
        zval_ptr_dtor(&fn);
        if (earlier) {
            if (EG(exception))
                zend_exception_set_previous(EG(exception), earlier);
            else
                EG(exception) = earlier;
        }
    }
}

static php_tide_uncaught_handler_t uncaught_handler;

void php_tide_coro_set_uncaught_handler(php_tide_uncaught_handler_t handler)
{
    uncaught_handler = handler;
}

/* The coroutine ends with EG(exception): decide what it means for the script. */
static void coro_ended_with_exception(void)
{
    zend_object *ex = EG(exception);
    if (uncaught_handler && !zend_is_graceful_exit(ex) && !zend_is_unwind_exit(ex)) {
        uncaught_handler(ex); /* a server worker logs it and keeps serving */
    } else if (zend_is_graceful_exit(ex)) {
        /* Killed by the scheduler (teardown): nothing to report. */
    } else if (zend_is_unwind_exit(ex)) {
        /* exit() here, or unwinding because another coroutine failed. */
        if (!TIDE_G(coro_exception))
            TIDE_G(coro_exit) = true;
        tide_sched_stop(TIDE_G(sched));
    } else {
        if (!TIDE_G(coro_exception)) {
            GC_ADDREF(ex);
            TIDE_G(coro_exception) = ex;
        }
        tide_sched_stop(TIDE_G(sched));
    }
    zend_clear_exception();
}

static void coro_main(tide_coro_t *co, void *arg)
{
    php_tide_coro_t *pc = tide_coro_udata(co);
    TIDE_UNUSED(arg);

    zend_try
    {
        zval retval;
        zend_fcall_info fci = {
            .size = sizeof(fci),
            .retval = &retval,
            .params = pc->argv,
            .param_count = pc->argc,
        };
        ZVAL_COPY_VALUE(&fci.function_name, &pc->callable);
        ZVAL_UNDEF(&retval);
        zend_call_function(&fci, pc->fcc.function_handler ? &pc->fcc : NULL);
        if (pc->result)
            ZVAL_COPY_VALUE(pc->result, &retval); /* the spawner's now */
        else
            zval_ptr_dtor(&retval);
        run_defers(pc);
        /* Buffers it left open are flushed to the level below, as PHP does at exit. */
        while (zend_stack_count(&OG(handlers)) > pc->og_base && php_output_end() == SUCCESS)
            ;
        /* Free the callable, arguments and context now, while PHP code (destructors) may
         * still run here: what they throw is this coroutine's, not its resumer's. */
        free_values(pc);
        if (EG(exception))
            coro_ended_with_exception();
    }
    zend_catch
    {
        /* A fatal error: the main context re-raises it once this stack is left. */
        TIDE_G(coro_bailout) = true;
        tide_sched_stop(TIDE_G(sched));
    }
    zend_end_try();
}

/* req->done is left set when the coroutine could not start. */
static zend_long spawn(spawn_request_t *req)
{
    tide_sched_t *s = php_tide_sched();
    if (!s)
        return 0;
    php_tide_wait_at_shutdown(); /* outside Tide\run(): what suspends runs at the end */

    int64_t id = tide_coro_create(s, coro_main, req);
    if (id < 0) {
        if (id == TIDE_ELIMIT)
            php_error_docref(NULL, E_WARNING,
                             "Cannot create a coroutine: max_coroutine (" ZEND_LONG_FMT
                             ") coroutines are alive",
                             TIDE_G(max_coroutine));
        else
            php_error_docref(NULL, E_WARNING, "Cannot create a coroutine: %s",
                             tide_strerror((int)id));
        return 0;
    }

    /* Back in the creator. A failure pending from the new coroutine ends this one too, or
     * surfaces here when the creator is the main context outside the loop. */
    if (TIDE_G(coro_exception) || TIDE_G(coro_exit) || TIDE_G(coro_bailout)) {
        if (!tide_coro_is_main(tide_coro_current(s))) {
            unwind_for_failure();
        } else if (!TIDE_G(in_loop)) {
            php_tide_coro_rethrow();
        }
    }
    return (zend_long)id;
}

zend_long php_tide_coro_spawn(zval *callable, zend_fcall_info_cache *fcc, zval *argv,
                              uint32_t argc)
{
    spawn_request_t req = {callable, fcc, argv, argc, EG(error_reporting), NULL, NULL, NULL};
    return spawn(&req);
}

zend_long php_tide_coro_spawn_result(zval *callable, zend_fcall_info_cache *fcc, zval *argv,
                                     uint32_t argc, zval *result, void (*done)(void *arg),
                                     void *arg)
{
    ZVAL_UNDEF(result);
    spawn_request_t req = {callable, fcc, argv, argc, EG(error_reporting), done, arg, result};
    zend_long id = spawn(&req);
    if (req.done) /* never started: nothing will call it, so it is called now */
        done(arg);
    return id;
}

zend_long php_tide_coro_spawn_done(zval *callable, zend_fcall_info_cache *fcc, zval *argv,
                                   uint32_t argc, void (*done)(void *arg), void *arg)
{
    spawn_request_t req = {callable, fcc, argv, argc, EG(error_reporting), done, arg, NULL};
    zend_long id = spawn(&req);
    if (req.done) /* never started: nothing will call it, so it is called now */
        done(arg);
    return id;
}

bool php_tide_coro_rethrow(void)
{
    if (TIDE_G(coro_bailout)) {
        TIDE_G(coro_bailout) = false;
        TIDE_G(in_loop) = false;
        /* The script is dead: its coroutines must not run again, not even in a shutdown
         * function's Tide\run(). They are dropped (not unwound: a fatal error runs no
         * finally) when the loop is next needed, not here in the middle of the bailout. */
        TIDE_G(loop_abandoned) = true;
        zend_bailout();
    }
    if (TIDE_G(coro_exception)) {
        zend_object *ex = TIDE_G(coro_exception);
        TIDE_G(coro_exception) = NULL;
        TIDE_G(coro_exit) = false;
        if (EG(exception))
            OBJ_RELEASE(ex);
        else
            zend_throw_exception_internal(ex);
        return true;
    }
    if (TIDE_G(coro_exit)) {
        TIDE_G(coro_exit) = false;
        if (!EG(exception))
            zend_throw_unwind_exit();
        return true;
    }
    return false;
}

/* ---- the garbage collector ---- */

/*
 * Suspending is refused while the cycle collector runs, on every PHP version. PHP 8.4 lets
 * a Fiber switch in a destructor the collector calls: inside a Fiber, the collector runs
 * destructors in a Fiber of its own and goes on when that one is suspended. A coroutine
 * switch is not a Fiber switch the collector can see: outside a Fiber it calls destructors
 * on the coroutine's own stack, and a switch there would leave it active (GC_G(gc_active))
 * and collecting nothing for every coroutine until this one resumed, or for ever if it
 * never did. Before 8.4, zend_fiber_switch_blocked() covers the collector too.
 */
static int (*prev_collect_cycles)(void);
static unsigned collecting; /* nesting of collect_cycles() (one process, no threads) */

static int collect_cycles(void)
{
    volatile int n = 0;
    collecting++;
    zend_try
    {
        n = prev_collect_cycles();
    }
    zend_catch
    {
        collecting--;
        zend_bailout();
    }
    zend_end_try();
    collecting--;
    return n;
}

static void throw_forked(const char *what, int64_t cid)
{
    php_tide_throw(0, "%s cannot suspend: this process was forked inside coroutine #%lld, "
                      "whose scheduler is its parent's (fork outside coroutines, or use "
                      "Tide\\Process)",
                   what, (long long)cid);
}

bool php_tide_coro_required(const char *what)
{
    if (TIDE_G(sched) && !tide_coro_is_main(tide_coro_current(TIDE_G(sched))))
        return true;
    if (TIDE_G(forked_in_coro))
        throw_forked(what, TIDE_G(forked_in_coro)); /* the child runs on in that copy */
    else
        php_tide_throw(0, "%s must be called inside a coroutine", what);
    return false;
}

/*
 * A child forked (pcntl_fork()) while a coroutine ran goes on in its copy of that
 * coroutine, but the scheduler and reactor it would wait on are the parent's, which the
 * child cannot use (a wait there never ends). So in such a child nothing suspends: hooked
 * calls are stock PHP (they block the child, which is a process of its own), and the calls
 * that must suspend say why.
 */
static zend_always_inline bool forked_in_coroutine(void)
{
    return UNEXPECTED(TIDE_G(sched_inherited)); /* one load on every suspend */
}

/* In the child of a fork() made inside a coroutine (pthread_atfork): the scheduler running
 * is the parent's, until the child makes its own (php_tide_sched_slow). */
static void on_fork_child(void)
{
    if (TIDE_G(sched) && !tide_coro_is_main(tide_coro_current(TIDE_G(sched)))) {
        TIDE_G(forked_in_coro) = tide_coro_id(tide_coro_current(TIDE_G(sched)));
        TIDE_G(sched_inherited) = true;
    }
}

bool php_tide_coro_suspendable(const char *what)
{
    if (!php_tide_coro_required(what))
        return false;
    if (forked_in_coroutine()) {
        throw_forked(what, tide_coro_id(tide_coro_current(TIDE_G(sched))));
        return false;
    }
    if (UNEXPECTED(collecting)) {
        php_tide_throw(0, "%s cannot suspend the coroutine while the garbage collector "
                                "runs (in a destructor it calls)",
                                what);
        return false;
    }
    /* Where PHP refuses to switch Fibers (zend_fiber_switch_block() callers, checked in 8.2
     * and 8.4): every destructor before 8.4 (zend_objects_store_del, the collector,
     * zend_objects_store_call_destructors at shutdown), ZEND_TICKS around the tick
     * function, and pcntl's signal dispatch. PHP 8.4 allows switches in destructors. */
    if (UNEXPECTED(zend_fiber_switch_blocked())) {
        php_tide_throw(0, "%s cannot suspend the coroutine here: PHP forbids stack "
                                "switches in "
#if PHP_VERSION_ID < 80400
                                "destructors, "
#endif
                                "tick functions and pcntl signal handlers",
                                what);
        return false;
    }
    return true;
}

bool php_tide_coro_can_suspend(void)
{
    return TIDE_G(sched) && !tide_coro_is_main(tide_coro_current(TIDE_G(sched))) && !collecting &&
           !zend_fiber_switch_blocked() && !forked_in_coroutine();
}

void php_tide_coro_waits_on(const char *what)
{
    /* Only the name: where it waits is read from its frames if a report needs it. */
    php_tide_coro_t *pc = tide_coro_udata(tide_coro_current(TIDE_G(sched)));
    pc->waiting_on = what;
}

void php_tide_coro_killed(void)
{
    if (!EG(exception))
        zend_throw_graceful_exit();
}

/* ---- the scheduler's lifecycle ---- */

/* SIGSEGV on a guard page: say which coroutine overflowed its C stack, not just crash. */
static struct sigaction old_segv, old_bus;

static void put_str(char **p, const char *s)
{
    while (*s)
        *(*p)++ = *s++;
}

static void put_num(char **p, unsigned long long v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *(*p)++ = tmp[--n];
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    TIDE_UNUSED(uc);
    tide_sched_t *s = TIDE_G(sched);
    tide_coro_t *co = s ? tide_coro_current(s) : NULL;
    if (co && !tide_coro_is_main(co) &&
        tide_stack_in_guard(tide_coro_stack(co), si->si_addr)) {
        char buf[512], *p = buf;
        put_str(&p, "PHP Fatal error:  Tide: C stack overflow in coroutine #");
        put_num(&p, (unsigned long long)tide_coro_id(co));
        put_str(&p, " (its stack is ");
        put_num(&p, tide_coro_stack(co)->asked);
        put_str(&p, " bytes); raise it with Tide\\Coroutine::set(['stack_size' => ...])\n");
        if (write(STDERR_FILENO, buf, (size_t)(p - buf)) < 0) {
            /* nothing more can be done */
        }
        _exit(255);
    }
    /* Not ours: let the previous handler (or the default action) have it. */
    sigaction(sig, sig == SIGSEGV ? &old_segv : &old_bus, NULL);
}

static void install_fault_handler(void)
{
    static bool installed;
    static char altstack[64 * 1024];
    if (installed)
        return;
    installed = true;
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack)};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &old_segv);
    sigaction(SIGBUS, &sa, &old_bus);
}

tide_sched_t *php_tide_sched_slow(void)
{
    tide_reactor_t *r = php_tide_reactor();
    if (!r)
        return NULL;
    TIDE_G(sched_fork_gen) = tide_fork_generation();
    if (TIDE_G(sched) && tide_sched_reactor(TIDE_G(sched)) == r)
        return TIDE_G(sched);
    if (TIDE_G(sched)) {
        /* The reactor was made anew (after fork): so is the scheduler. Coroutines of the
         * parent's copy are dropped, not unwound: they are the parent's work. This happens
         * inside the parent's loop (php_tide_reactor), which may run on one of them: the loop
         * frees it when it unwinds (php_tide_loop_run). */
        if (!TIDE_G(in_loop))
            tide_sched_destroy(TIDE_G(sched));
        TIDE_G(sched) = NULL;
    }
    tide_sched_hooks_t hooks = {
        .on_switch = on_switch,
        .on_start = on_coro_start,
        .on_exit = on_coro_exit,
        .state_size = STATE_SIZE + VM_STACK_SIZE,
    };
    TIDE_G(sched) = tide_sched_create(r, &hooks);
    TIDE_G(sched_inherited) = false;
    tide_sched_set_max(TIDE_G(sched), (size_t)TIDE_G(max_coroutine));
    if (TIDE_G(stack_size))
        tide_sched_set_stack_size(TIDE_G(sched), (size_t)TIDE_G(stack_size));
    install_fault_handler();
    return TIDE_G(sched);
}

/* Drops the scheduler (after fork, or at request end) without running PHP code. */
void php_tide_sched_drop(void)
{
    if (TIDE_G(sched)) {
        tide_sched_destroy(TIDE_G(sched));
        TIDE_G(sched) = NULL;
    }
}

/* ---- Tide\Coroutine ---- */

static void spawn_from_args(INTERNAL_FUNCTION_PARAMETERS)
{
    zval *callable, *args = NULL;
    uint32_t argc = 0;
    zend_fcall_info_cache fcc;
    char *error = NULL;

    ZEND_PARSE_PARAMETERS_START(1, -1)
        Z_PARAM_ZVAL(callable)
        Z_PARAM_VARIADIC('*', args, argc)
    ZEND_PARSE_PARAMETERS_END();

    if (!zend_is_callable_ex(callable, NULL, 0, NULL, &fcc, &error)) {
        zend_argument_type_error(1, "must be a valid callback, %s", error);
        efree(error);
        RETURN_THROWS();
    }
    zend_long id = php_tide_coro_spawn(callable, &fcc, args, argc);
    zend_release_fcall_info_cache(&fcc); /* a trampoline: the coroutine resolves its own */
    if (EG(exception))
        RETURN_THROWS();
    if (!id)
        RETURN_FALSE;
    RETURN_LONG(id);
}

PHP_FUNCTION(Tide_go)
{
    spawn_from_args(INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

ZEND_METHOD(Tide_Coroutine, create)
{
    spawn_from_args(INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

ZEND_METHOD(Tide_Coroutine, getCid)
{
    ZEND_PARSE_PARAMETERS_NONE();
    tide_coro_t *co = current_coro();
    RETURN_LONG(co ? (zend_long)tide_coro_id(co) : -1);
}

ZEND_METHOD(Tide_Coroutine, getPcid)
{
    zend_long cid = 0;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(cid)
    ZEND_PARSE_PARAMETERS_END();
    tide_coro_t *co = find_coro(cid);
    if (!co)
        RETURN_FALSE;
    RETURN_LONG((zend_long)tide_coro_parent_id(co));
}

ZEND_METHOD(Tide_Coroutine, exists)
{
    zend_long cid;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(cid)
    ZEND_PARSE_PARAMETERS_END();
    RETURN_BOOL(cid > 0 && find_coro(cid));
}

/*
 * yield() and resume() both end with a tail call (a jump) to this function, so a coroutine
 * suspended in either has the same return addresses on its C stack: the VM's call to the
 * method, this function's call to tide_coro_switch(), and that one's call to the switch.
 * The CPU then predicts every return after a switch (see tide_coro_switch() in coro.h).
 * resume: the coroutine to switch to; NULL to yield.
 */
static zend_never_inline void switch_from_php(zend_execute_data *execute_data,
                                              zval *return_value, tide_coro_t *resume)
{
    TIDE_UNUSED(execute_data);
    int rc = tide_coro_switch(TIDE_G(sched), resume);
    if (resume) {
        /* Back from the coroutine we resumed: did it fail in a way that ends us too? */
        if (UNEXPECTED(TIDE_G(coro_exception) || TIDE_G(coro_exit) || TIDE_G(coro_bailout))) {
            if (current_coro()) {
                unwind_for_failure();
                RETURN_THROWS();
            }
            if (!TIDE_G(in_loop) && php_tide_coro_rethrow())
                RETURN_THROWS();
        }
    } else if (UNEXPECTED(rc == TIDE_EKILLED)) {
        php_tide_coro_killed();
        RETURN_THROWS();
    }
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Coroutine, yield)
{
    ZEND_PARSE_PARAMETERS_NONE();
    if (!php_tide_coro_suspendable("Tide\\Coroutine::yield()"))
        RETURN_THROWS();
    php_tide_coro_waits_on("Tide\\Coroutine::yield()");
    switch_from_php(execute_data, return_value, NULL);
}

/* The coroutine resume($cid) switches to; NULL after a TypeError or a warning. Apart from
 * the method, so that no local of the method escapes and its last call can be a jump. */
static zend_never_inline tide_coro_t *resume_target(zend_execute_data *execute_data)
{
    zend_long cid;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(cid)
    ZEND_PARSE_PARAMETERS_END_EX(return NULL);
    tide_coro_t *co = cid > 0 ? find_coro(cid) : NULL;
    if (!co) {
        php_error_docref(NULL, E_WARNING, "Coroutine #" ZEND_LONG_FMT " does not exist", cid);
        return NULL;
    }
    if (tide_coro_state(co) != TIDE_CORO_YIELDED) {
        php_error_docref(NULL, E_WARNING,
                         "Coroutine #" ZEND_LONG_FMT
                         " is not suspended by Tide\\Coroutine::yield() (it is %s)",
                         cid,
                         tide_coro_state(co) == TIDE_CORO_RUNNING ? "running" : "waiting");
        return NULL;
    }
    return co;
}

ZEND_METHOD(Tide_Coroutine, resume)
{
    tide_coro_t *co = resume_target(execute_data);
    if (!co) {
        if (!EG(exception))
            RETVAL_FALSE;
        return;
    }
    switch_from_php(execute_data, return_value, co);
}

ZEND_METHOD(Tide_Coroutine, sleep)
{
    double seconds;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_DOUBLE(seconds)
    ZEND_PARSE_PARAMETERS_END();
    if (!(seconds >= 0) || seconds > 9.2e9) {
        zend_argument_value_error(1, "must be between 0 and 9.2e9 seconds");
        RETURN_THROWS();
    }
    if (!php_tide_coro_suspendable("Tide\\Coroutine::sleep()"))
        RETURN_THROWS();
    php_tide_coro_waits_on("Tide\\Coroutine::sleep()");
    int rc = tide_coro_sleep(TIDE_G(sched), (int64_t)(seconds * 1e9));
    if (rc == TIDE_EKILLED) {
        php_tide_coro_killed();
        RETURN_THROWS();
    }
    RETURN_BOOL(rc == 0);
}

ZEND_METHOD(Tide_Coroutine, defer)
{
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_FUNC(fci, fcc)
    ZEND_PARSE_PARAMETERS_END();
    if (!php_tide_coro_required("Tide\\Coroutine::defer()"))
        RETURN_THROWS();
    php_tide_coro_t *pc = tide_coro_udata(tide_coro_current(TIDE_G(sched)));
    if (Z_TYPE(pc->defers) != IS_ARRAY)
        array_init(&pc->defers);
    Z_TRY_ADDREF(fci.function_name);
    add_next_index_zval(&pc->defers, &fci.function_name);
}

ZEND_METHOD(Tide_Coroutine, getContext)
{
    zend_long cid = 0;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(cid)
    ZEND_PARSE_PARAMETERS_END();
    tide_coro_t *co = find_coro(cid);
    if (!co)
        RETURN_NULL();
    php_tide_coro_t *pc = tide_coro_udata(co);
    if (Z_TYPE(pc->context) == IS_UNDEF)
        object_init_ex(&pc->context, php_tide_context_ce);
    RETURN_COPY(&pc->context);
}

static void add_id(tide_coro_t *co, void *arg)
{
    add_next_index_long((zval *)arg, (zend_long)tide_coro_id(co));
}

ZEND_METHOD(Tide_Coroutine, list)
{
    zval ids;
    ZEND_PARSE_PARAMETERS_NONE();
    array_init(&ids);
    if (TIDE_G(sched))
        tide_sched_foreach(TIDE_G(sched), add_id, &ids);
    object_init_ex(return_value, spl_ce_ArrayIterator);
    zend_call_known_instance_method_with_1_params(spl_ce_ArrayIterator->constructor,
                                                  Z_OBJ_P(return_value), NULL, &ids);
    zval_ptr_dtor(&ids);
}

ZEND_METHOD(Tide_Coroutine, stats)
{
    tide_sched_stats_t st = {0};
    ZEND_PARSE_PARAMETERS_NONE();
    if (TIDE_G(sched))
        tide_sched_stats(TIDE_G(sched), &st);
    array_init(return_value);
    add_assoc_long(return_value, "coroutine_num", (zend_long)st.coroutine_num);
    add_assoc_long(return_value, "coroutine_peak_num", (zend_long)st.coroutine_peak_num);
    add_assoc_long(return_value, "coroutine_last_cid", (zend_long)st.coroutine_last_cid);
    add_assoc_long(return_value, "max_coroutine", TIDE_G(max_coroutine));
    add_assoc_long(return_value, "stack_size",
                   TIDE_G(sched) ? (zend_long)st.stack_size : TIDE_G(stack_size));
    add_assoc_long(return_value, "stacks_free", (zend_long)st.stacks_free);
    add_assoc_long(return_value, "ready_num", (zend_long)st.ready_num);
    add_assoc_long(return_value, "switch_count", (zend_long)st.switch_count);
    add_assoc_long(return_value, "timer_num",
                   TIDE_G(reactor) ? (zend_long)tide_timer_count(TIDE_G(reactor)) : 0);
}

ZEND_METHOD(Tide_Coroutine, cancel)
{
    zend_long cid;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(cid)
    ZEND_PARSE_PARAMETERS_END();
    tide_coro_t *co = cid > 0 ? find_coro(cid) : NULL;
    RETURN_BOOL(co && tide_coro_cancel(TIDE_G(sched), co));
}

ZEND_METHOD(Tide_Coroutine, isCanceled)
{
    ZEND_PARSE_PARAMETERS_NONE();
    if (!php_tide_coro_required("Tide\\Coroutine::isCanceled()"))
        RETURN_THROWS();
    RETURN_BOOL(tide_coro_canceled(tide_coro_current(TIDE_G(sched))));
}

bool php_tide_coro_resumed_failed(void)
{
    if (EXPECTED(!TIDE_G(coro_exception) && !TIDE_G(coro_exit) && !TIDE_G(coro_bailout)))
        return false;
    if (current_coro()) {
        unwind_for_failure();
        return true;
    }
    return !TIDE_G(in_loop) && php_tide_coro_rethrow();
}

/* ---- deadlock report ---- */

static void report_one(tide_coro_t *co, void *arg)
{
    TIDE_UNUSED(arg);
    php_tide_coro_t *pc = tide_coro_udata(co);
    /* The innermost frame of user code is where it waits. */
    const char *file = "[unknown]";
    uint32_t line = 0;
    for (zend_execute_data *ex = pc->execute_data; ex; ex = ex->prev_execute_data) {
        if (ex->func && ZEND_USER_CODE(ex->func->type)) {
            file = ZSTR_VAL(ex->func->op_array.filename);
            line = ex->opline ? ex->opline->lineno : ex->func->op_array.line_start;
            break;
        }
    }
    fprintf(stderr, "#%lld %s:%u (%s)\n", (long long)tide_coro_id(co), file, line,
            pc->waiting_on ? pc->waiting_on : "suspended");
}

bool php_tide_report_deadlock(void)
{
    tide_sched_stats_t st;
    tide_sched_stats(TIDE_G(sched), &st);
    if (!st.coroutine_num)
        return false;
    if (TIDE_G(deadlock_check)) {
        fflush(stdout);
        php_output_flush_all();
        fprintf(stderr, "[tide] deadlock: %zu coroutine(s) waiting\n", st.coroutine_num);
        tide_sched_foreach(TIDE_G(sched), report_one, NULL);
        fflush(stderr);
    }
    return true;
}

/* ---- module hooks ---- */

int php_tide_coro_minit(INIT_FUNC_ARGS)
{
    TIDE_UNUSED(type);
    TIDE_UNUSED(module_number);
    php_tide_coroutine_ce = register_class_Tide_Coroutine();
    static bool atfork;
    if (!atfork) {
        pthread_atfork(NULL, NULL, on_fork_child);
        atfork = true;
    }
    php_tide_context_ce = register_class_Tide_Coroutine_Context(spl_ce_ArrayObject);
    prev_collect_cycles = gc_collect_cycles;
    gc_collect_cycles = collect_cycles;
    return SUCCESS;
}

void php_tide_coro_mshutdown(void)
{
    /* Unless another extension wrapped it after us (it then calls ours, which stays). */
    if (gc_collect_cycles == collect_cycles)
        gc_collect_cycles = prev_collect_cycles;
}

void php_tide_coro_rinit(void)
{
    TIDE_G(deadlock_check) = true;
    TIDE_G(max_coroutine) = 0;
    TIDE_G(stack_size) = 0;
    TIDE_G(hook_flags) = PHP_TIDE_HOOK_ALL;
    ZVAL_UNDEF(&TIDE_G(coro_options));
    TIDE_G(coro_exception) = NULL;
    TIDE_G(coro_exit) = TIDE_G(coro_bailout) = TIDE_G(loop_abandoned) = false;
}

void php_tide_coro_rshutdown(void)
{
    php_tide_sched_drop();
    zval_ptr_dtor(&TIDE_G(coro_options));
    ZVAL_UNDEF(&TIDE_G(coro_options));
    if (TIDE_G(coro_exception)) {
        OBJ_RELEASE(TIDE_G(coro_exception));
        TIDE_G(coro_exception) = NULL;
    }
}
