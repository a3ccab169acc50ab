"""Manager side: the review queue and the review of a report's assessment. (Being built.)"""

urlpatterns = []
