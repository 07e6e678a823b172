"""The LangGraph agent: state, planners, nodes, model factory and the event stream."""
