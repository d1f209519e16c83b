using MifActors.Actors;
using MifActors.Persistence.Tests.Support;

namespace MifActors.Persistence.Tests;

[PersistentManifest("test.message-sent.v1")]
public sealed record MessageSent(string Text);

[PersistentManifest("test.message-confirmed.v1")]
public sealed record MessageConfirmed(long DeliveryId);

public sealed record Send(string Text);

public sealed record Envelope(long DeliveryId, string Text);

public sealed record Confirm(long DeliveryId);

public sealed class AtLeastOnceDeliverySpec : IDisposable
{
    private readonly string file = StoreConfiguration.NewSqliteFile();

    public void Dispose() => StoreConfiguration.DeleteSqlite(file);

    [Fact]
    public void An_unconfirmed_message_is_sent_again_on_virtual_time_until_it_is_confirmed()
    {
        using var kit = new Kit(file);
        var destination = kit.CreateTestProbe();
        var sender = kit.Sys.ActorOf(Props.Create(() => new Sender("aold-1", destination)));
        sender.Tell(new Send("hello"));
        var first = destination.ExpectMsg<Envelope>();
        Assert.Equal("hello", first.Text);

        kit.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(first, destination.ExpectMsg<Envelope>());

        sender.Tell(new Confirm(first.DeliveryId));
        kit.WaitForIdle();
        kit.Advance(TimeSpan.FromSeconds(30));
        destination.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Unconfirmed_messages_are_sent_again_after_a_restart_and_confirmed_ones_are_not()
    {
        var destination1Messages = new List<Envelope>();
        using (var kit = new Kit(file))
        {
            var destination = kit.CreateTestProbe();
            var sender = kit.Sys.ActorOf(Props.Create(() => new Sender("aold-2", destination)));
            sender.Tell(new Send("one"));
            sender.Tell(new Send("two"));
            destination1Messages.AddRange(destination.ReceiveN(2).Cast<Envelope>());
            sender.Tell(new Confirm(destination1Messages[0].DeliveryId));
            sender.Tell(new Send("barrier"));
            destination.ExpectMsg<Envelope>(e => e.Text == "barrier");
        }

        using (var kit = new Kit(file))
        {
            var destination = kit.CreateTestProbe();
            kit.Sys.ActorOf(Props.Create(() => new Sender("aold-2", destination)));
            // Recovery reads the database off the actor's thread, so step virtual time until the first tick resends.
            var resent = new List<string>();
            for (var i = 0; i < 30 && resent.Count < 2; i++)
            {
                kit.Advance(TimeSpan.FromSeconds(5));
                try
                {
                    resent.AddRange(destination.ReceiveN(2, TimeSpan.FromMilliseconds(300)).Cast<Envelope>().Select(e => e.Text));
                }
                catch (MifActors.TestKit.AssertionFailedException)
                {
                    // not recovered yet
                }
            }

            Assert.Equal(["barrier", "two"], resent.Order());
        }
    }

    private sealed class Kit(string file)
        : TestKit.TestKit(configuration: StoreConfiguration.For("sqlite", StoreConfiguration.Sqlite(file)), virtualTime: true);

    private sealed class Sender : AtLeastOnceDeliveryReceiveActor
    {
        public Sender(string persistenceId, IActorRef destination)
        {
            PersistenceId = persistenceId;
            Recover<MessageSent>(e => Deliver(destination, id => new Envelope(id, e.Text)));
            Recover<MessageConfirmed>(e => ConfirmDelivery(e.DeliveryId));
            Command<Send>(c => Persist(new MessageSent(c.Text), e => Deliver(destination, id => new Envelope(id, e.Text))));
            Command<Confirm>(c => Persist(new MessageConfirmed(c.DeliveryId), e => ConfirmDelivery(e.DeliveryId)));
        }

        public override string PersistenceId { get; }

        protected override TimeSpan RedeliverInterval => TimeSpan.FromSeconds(10);
    }
}
