<?php
namespace App\Providers;

use App\Counter;
use App\RequestState;
use App\Greeter;
use Illuminate\Support\ServiceProvider;

class AppServiceProvider extends ServiceProvider
{
    /** How many times this process booted the app (examples/octane.php: once per worker). */
    public static int $boots = 0;

    public function register()
    {
        $this->app->singleton(Counter::class);       // resolved at boot below: lives as long as the worker
        $this->app->singleton(RequestState::class);  // first resolved during a request: gone after it
        $this->app->singleton(Greeter::class, fn ($app) => new Greeter($app['request'])); // the trap
    }

    public function boot()
    {
        self::$boots++;
        $this->app->make(Counter::class);
        $this->app->make(Greeter::class); // holds the request of boot time, forever
        require base_path('routes/web.php');
    }
}
