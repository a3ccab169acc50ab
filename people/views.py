"""Staff side: your assessments, the self-assessment journey. (Being built.)"""

urlpatterns = []
