dnl Tide: a coroutine-based resident network server for PHP.
dnl   phpize && ./configure && make
dnl Tested with PHP 8.2 and 8.4, non-thread-safe (NTS) builds, on Linux. A thread-safe (ZTS)
dnl PHP is refused: Tide keeps process-wide state (one reactor, one set of signal handlers).
dnl Needs liburing (>= 2.3) and zlib (HTTP compression), found with pkg-config. (HTTP/2 and
dnl TLS will add nghttp2 and OpenSSL when code uses them.)

PHP_ARG_ENABLE([tide],
  [whether to enable Tide],
  [AS_HELP_STRING([--enable-tide], [Enable the Tide server extension])],
  [yes])

PHP_ARG_ENABLE([tide-lto],
  [whether to build Tide with link-time optimisation],
  [AS_HELP_STRING([--disable-tide-lto], [Build Tide without link-time optimisation])],
  [yes], [no])

dnl TIDE_REQUIRE(VAR, pkg-config module, Debian package)
AC_DEFUN([TIDE_REQUIRE], [
  PKG_CHECK_MODULES([$1], [$2], [], [
    AC_MSG_ERROR([Tide needs $2 (pkg-config could not find it). On Debian/Ubuntu: apt-get install $3])
  ])
  PHP_EVAL_LIBLINE([$]$1[_LIBS], TIDE_SHARED_LIBADD)
  PHP_EVAL_INCLINE([$]$1[_CFLAGS])
])

if test "$PHP_TIDE" != "no"; then
  case $host_os in
    linux*) ;;
    *) AC_MSG_ERROR([Tide needs Linux (io_uring or epoll); $host_os is not supported]) ;;
  esac

  dnl PHP_THREAD_SAFETY: from --enable-zts in a PHP build, from main/php_config.h with phpize.
  if test "$PHP_THREAD_SAFETY" = "yes"; then
    AC_MSG_ERROR([Tide does not support thread-safe (ZTS) PHP: it keeps process-wide state (one reactor and one set of signal handlers per process). Build it with a non-thread-safe (NTS) PHP; on Debian, php8.2-dev or php8.4-dev])
  fi

  PKG_PROG_PKG_CONFIG
  if test -z "$PKG_CONFIG"; then
    AC_MSG_ERROR([Tide needs pkg-config. On Debian/Ubuntu: apt-get install pkg-config])
  fi
  TIDE_REQUIRE([LIBURING], [liburing >= 2.3], [liburing-dev])
  AC_DEFINE_UNQUOTED([TIDE_LIBURING_VERSION], ["`$PKG_CONFIG --modversion liburing`"],
    [liburing version built against])
  TIDE_REQUIRE([ZLIB], [zlib], [zlib1g-dev])

  TIDE_CORE="src/core/alloc.c src/core/error.c src/core/log.c src/core/heap.c \
    src/core/idmap.c src/core/reactor.c src/core/uring.c src/core/epoll.c src/core/signal.c \
    src/core/filepool.c"
  TIDE_CORO="src/coro/context.c src/coro/stack.c src/coro/sched.c src/coro/channel.c"
  TIDE_PROTO="src/proto/frame.c src/proto/http1.c src/proto/multipart.c src/proto/compress.c \
    src/proto/http_static.c src/proto/websocket.c src/proto/http1_response.c"
  TIDE_SERVER="src/server/ipc.c src/server/msg.c src/server/conntab.c src/server/engine.c src/server/engine_out.c \
    src/server/sock.c src/server/link.c src/server/manager.c src/server/dispatch.c \
    src/server/process.c src/server/hub.c src/server/master.c src/server/worker.c src/server/direct.c \
    src/server/server.c"
  TIDE_SHM="src/shm/shm.c src/shm/table.c src/shm/sync.c"
  TIDE_PHP="src/php/module.c src/php/error.c src/php/loop.c src/php/event.c src/php/timer.c \
    src/php/coroutine.c src/php/coroutine_inspect.c src/php/coroutine_options.c src/php/coroutine_system.c src/php/coroutine_scheduler.c src/php/coroutine_lock.c src/php/channel.c src/php/runtime.c src/php/runtime_stream.c src/php/runtime_file.c src/php/runtime_dns.c src/php/runtime_proc.c src/php/runtime_curl.c src/php/autoload.c src/php/server.c src/php/server_port.c \
    src/php/server_settings.c src/php/server_events.c src/php/server_conn.c \
    src/php/server_process.c src/php/server_task.c src/php/http.c src/php/http_response.c src/php/http_response_body.c src/php/http_cookie.c src/php/http_static.c src/php/websocket.c \
    src/php/table.c src/php/sync.c src/php/http_client.c src/php/http_client_request.c src/php/http_client_ws.c src/php/ws_peer.c src/php/http_response_ws.c src/php/coserver.c src/php/client.c src/php/client_settings.c src/php/client_io.c src/php/process.c src/php/process_queue.c src/php/compat.c"

  dnl Link-time optimisation: a request crosses the layers (core, server, php) in separate
  dnl files, and LTO inlines those calls (bench/RESULTS.md: 6-7% of a pipelined request
  dnl with an empty handler). Used when the compiler links with it; --disable-tide-lto
  dnl turns it off.
  TIDE_LTO=""
  if test "$PHP_TIDE_LTO" != "no"; then
    AC_MSG_CHECKING([whether $CC links with -flto=auto])
    tide_save_CFLAGS=$CFLAGS
    tide_save_LDFLAGS=$LDFLAGS
    CFLAGS="$CFLAGS -flto=auto"
    LDFLAGS="$LDFLAGS -flto=auto"
    AC_LINK_IFELSE([AC_LANG_PROGRAM([[]], [[return 0;]])], [tide_lto=yes], [tide_lto=no])
    CFLAGS=$tide_save_CFLAGS
    LDFLAGS=$tide_save_LDFLAGS
    AC_MSG_RESULT([$tide_lto])
    if test "$tide_lto" = "yes"; then
      TIDE_LTO="-flto=auto"
      dnl libtool passes -flto* through to the link.
      TIDE_SHARED_LIBADD="$TIDE_SHARED_LIBADD -flto=auto"
    fi
  fi

  PHP_NEW_EXTENSION(tide, $TIDE_CORE $TIDE_CORO $TIDE_PROTO $TIDE_SERVER $TIDE_SHM $TIDE_PHP, $ext_shared,,
    [-std=gnu11 -D_GNU_SOURCE -Wall -Wextra -fvisibility=hidden -DZEND_ENABLE_STATIC_TSRMLS_CACHE=1 $TIDE_LTO])
  dnl After PHP_NEW_EXTENSION: pecl builds outside the source tree.
  PHP_ADD_INCLUDE([$ext_srcdir/include])
  PHP_ADD_INCLUDE([$ext_srcdir/src/php])
  PHP_ADD_INCLUDE([$ext_srcdir/php_stubs])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/core])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/coro])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/proto])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/server])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/shm])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/php])
  PHP_SUBST(TIDE_SHARED_LIBADD)
fi
