using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MifActors.Actors.Hosting;
using MifActors.Actors.Pattern;

namespace MifActors.Actors.Tests;

public sealed class HostingSpec
{
    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }

    [Fact]
    public async Task A_hosted_actor_system_runs_its_start_callback_and_terminates_when_the_host_stops()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddActorSystem("hosted", (system, _) => system.ActorOf(Props.Create<Echo>(), "echo"));
        using var host = builder.Build();

        await host.StartAsync();
        var system = host.Services.GetRequiredService<ActorSystem>();
        Assert.Equal("hosted", system.Name);
        var echo = system.ResolveActorRef("/user/echo");
        Assert.NotNull(echo);
        Assert.Equal("ping", await echo.Ask<string>("ping", TimeSpan.FromSeconds(5)));

        await host.StopAsync();
        Assert.True(system.IsTerminated);
    }

    [Fact]
    public async Task An_actor_system_that_terminates_on_its_own_stops_the_host()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddActorSystem("selfstopping");
        using var host = builder.Build();
        await host.StartAsync();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = new TaskCompletionSource();
        lifetime.ApplicationStopping.Register(stopping.SetResult);

        await host.Services.GetRequiredService<ActorSystem>().Terminate();
        await stopping.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await host.StopAsync();
    }
}
