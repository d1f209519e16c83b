using MifActors.Node;

return await NodeProgram.RunAsync(args, Console.Error);
