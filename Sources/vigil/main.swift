import VigilCommands
VigilCommand.main()
