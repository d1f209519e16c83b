// The node daemon: runs the roles in mifactors.node.roles on Akka.Hosting. Built in the MIF host issue.
return 0;
